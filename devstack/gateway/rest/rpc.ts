import { closestName, pgrstError } from "./errors.ts";
import { ident, type Params } from "./query-builder.ts";
import type { Routine, SchemaCache } from "./schema-cache.ts";

export interface RoutineChoice {
  routine: Routine;
  /** Names of the arguments passed by name; null when the whole body goes to a single unnamed json/jsonb parameter. */
  argNames: string[] | null;
}

const jsonTypes = new Set(["json", "jsonb"]);

function isSingleJson(r: Routine): boolean {
  return r.params.length === 1 && r.params[0]!.name === "" && jsonTypes.has(r.params[0]!.type);
}

/**
 * Picks the function overload the arguments name, as PostgREST does: every required parameter given and
 * every given key a parameter; a POSTed JSON body may instead go whole to a single unnamed json/jsonb parameter.
 * With GET, keys that are not parameters are left over as filters on the result.
 */
export function chooseRoutine(cache: SchemaCache, name: string, keys: string[], viaPost: boolean): RoutineChoice {
  const candidates = cache.routines.get(name) ?? [];
  const scored: { routine: Routine; argNames: string[] }[] = [];
  for (const routine of candidates) {
    if (routine.params.some((p) => p.name === "")) continue;
    const names = new Set(routine.params.map((p) => p.name));
    const argNames = keys.filter((k) => names.has(k));
    if (viaPost && argNames.length !== keys.length) continue;
    if (!routine.params.every((p) => p.hasDefault || argNames.includes(p.name))) continue;
    scored.push({ routine, argNames });
  }
  const best = Math.max(...scored.map((s) => s.argNames.length));
  const top = scored.filter((s) => s.argNames.length === best);
  if (top.length === 1) return top[0]!;
  if (top.length > 1) {
    throw pgrstError(
      300,
      "PGRST203",
      `Could not choose the best candidate function between: ${top
        .map((s) => `${cache.schema}.${name}(${s.routine.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`)
        .join(", ")}`,
      null,
      "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    );
  }
  const single = viaPost ? candidates.find(isSingleJson) : undefined;
  if (single) return { routine: single, argNames: null };

  const sorted = [...keys].sort();
  const described = sorted.length === 0 ? " without parameters" : `(${sorted.join(", ")})`;
  const withParams =
    sorted.length === 0 ? " without parameters" : ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
  let hint: string | null = null;
  if (candidates.length === 0) {
    const other = closestName(name, cache.routines.keys());
    if (other) hint = `Perhaps you meant to call the function ${cache.schema}.${other}`;
  } else {
    const signatures = candidates.map(
      (r) =>
        `(${r.params
          .map((p) => p.name)
          .sort()
          .join(", ")})`,
    );
    const closest = closestName(`(${sorted.join(", ")})`, signatures, 0.33);
    if (closest) hint = `Perhaps you meant to call the function ${cache.schema}.${name}${closest}`;
  }
  throw pgrstError(
    404,
    "PGRST202",
    `Could not find the function ${cache.schema}.${name}${described} in the schema cache`,
    `Searched for the function ${cache.schema}.${name}${withParams}${viaPost ? " or with a single unnamed json/jsonb parameter" : ""}, but no matches were found in the schema cache.`,
    hint,
  );
}

/**
 * `Prefer: params=single-object` (PostgREST 12): the whole body goes to the function's only parameter, which
 * must be json or jsonb, whatever its name.
 */
export function chooseSingleObjectRoutine(cache: SchemaCache, name: string): RoutineChoice {
  const routine = (cache.routines.get(name) ?? []).find(
    (r) => r.params.length === 1 && jsonTypes.has(r.params[0]!.type),
  );
  if (routine) return { routine, argNames: null };
  throw pgrstError(
    404,
    "PGRST202",
    `Could not find the function ${cache.schema}.${name} in the schema cache`,
    `Searched for the function ${cache.schema}.${name} with a single json/jsonb parameter, but no matches were found in the schema cache.`,
  );
}

/** The function with a single unnamed parameter of `type`, for a text/plain, text/xml or octet-stream body. */
export function chooseSingleParamRoutine(cache: SchemaCache, name: string, type: "text" | "xml" | "bytea"): Routine {
  const candidates = (cache.routines.get(name) ?? []).filter(
    (r) => r.params.length === 1 && r.params[0]!.name === "" && r.params[0]!.type === type,
  );
  if (candidates.length === 1) return candidates[0]!;
  throw pgrstError(
    404,
    "PGRST202",
    `Could not find the function ${cache.schema}.${name} in the schema cache`,
    `Searched for the function ${cache.schema}.${name} with a single unnamed ${type} parameter, but no matches were found in the schema cache.`,
  );
}

export interface RoutineCall {
  /** FROM items that must precede the call (the decoded arguments), or null. */
  argsSource: string | null;
  /** The call expression. */
  call: string;
}

/** Renders the call with its arguments decoded from one bound JSON object, typed by the function's signature. */
export function routineCall(choice: RoutineChoice, argsJson: string, params: Params): RoutineCall {
  const fn = `${ident(choice.routine.schema)}.${ident(choice.routine.name)}`;
  if (choice.argNames === null) {
    return { argsSource: null, call: `${fn}(${params.bind(argsJson)}::text::${choice.routine.params[0]!.type})` };
  }
  if (choice.argNames.length === 0) return { argsSource: null, call: `${fn}()` };
  const byName = new Map(choice.routine.params.map((p) => [p.name, p]));
  const columns = choice.argNames.map((n) => `${ident(n)} ${byName.get(n)!.type}`);
  const args = choice.argNames.map((n) => `${ident(n)} := _pgrst_args.${ident(n)}`);
  return {
    argsSource: `json_to_record(${params.bind(argsJson)}::text::json) as _pgrst_args(${columns.join(", ")})`,
    call: `${fn}(${args.join(", ")})`,
  };
}
