import type { IncomingMessage } from "node:http";
import { pgrstError } from "./errors.ts";

/**
 * PostgREST's `db-tx-end`. Supabase (the CLI's stack and hosted projects) leaves it at PostgREST's default,
 * `commit`: `Prefer: tx=rollback` is then a recognised preference that is not applied, and the change commits.
 */
export type TxEnd = "commit" | "commit-allow-override" | "rollback" | "rollback-allow-override";

/** The `Prefer` header as PostgREST 12 reads it (ApiRequest/Preferences.hs). */
export interface Preferences {
  resolution?: "merge-duplicates" | "ignore-duplicates";
  return?: "representation" | "minimal" | "headers-only";
  params?: "single-object";
  count?: "exact" | "planned" | "estimated";
  /** Only set when `db-tx-end` allows an override; otherwise the preference is recognised but not applied. */
  tx?: "commit" | "rollback";
  /** A `tx` preference was sent but `db-tx-end` does not let it apply. */
  txIgnored: boolean;
  missing?: "default" | "null";
  handling?: "strict" | "lenient";
  /** A time zone PostgreSQL knows (pg_timezone_names); an unknown one is invalid and not applied. */
  timezone?: string;
  maxAffected?: number;
  /** Preferences PostgREST does not recognise: refused with PGRST122 under `handling=strict`, else ignored. */
  invalid: string[];
}

const choices = {
  resolution: ["merge-duplicates", "ignore-duplicates"],
  return: ["representation", "minimal", "headers-only"],
  params: ["single-object"],
  count: ["exact", "planned", "estimated"],
  tx: ["commit", "rollback"],
  missing: ["default", "null"],
  handling: ["strict", "lenient"],
} as const;

type Choice = keyof typeof choices;

const accepted = new Set(Object.entries(choices).flatMap(([key, values]) => values.map((v) => `${key}=${v}`)));

/** Every `Prefer` value, split on commas and trimmed, in order. */
function preferValues(req: IncomingMessage): string[] {
  const raw = req.headers.prefer;
  const headers = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return headers.flatMap((h) => h.split(",")).map((p) => p.trim());
}

export interface PreferenceContext {
  txEnd: TxEnd;
  timezones: ReadonlySet<string>;
}

/** Reads `Prefer` as PostgREST does: the first recognised value of each preference wins. */
export function parsePreferences(req: IncomingMessage, ctx: PreferenceContext): Preferences {
  const values = preferValues(req);
  const prefs: Preferences = { invalid: [], txIgnored: false };
  const first = <K extends Choice>(key: K): (typeof choices)[K][number] | undefined => {
    for (const value of values) {
      const [k, v] = splitOnce(value);
      if (k === key && (choices[key] as readonly string[]).includes(v)) return v as (typeof choices)[K][number];
    }
    return undefined;
  };
  prefs.resolution = first("resolution");
  prefs.return = first("return");
  prefs.params = first("params");
  prefs.count = first("count");
  if (ctx.txEnd.endsWith("-allow-override")) prefs.tx = first("tx");
  else prefs.txIgnored = first("tx") !== undefined;
  prefs.missing = first("missing");
  prefs.handling = first("handling");
  const timezone = values.find((v) => v.startsWith("timezone="))?.slice("timezone=".length);
  const timezoneKnown = timezone !== undefined && ctx.timezones.has(timezone);
  if (timezoneKnown) prefs.timezone = timezone;
  const maxAffected = values.find((v) => v.startsWith("max-affected="))?.slice("max-affected=".length);
  if (maxAffected !== undefined && /^-?\d{1,18}$/.test(maxAffected)) prefs.maxAffected = Number(maxAffected);
  prefs.invalid = values.filter(
    (v) =>
      v !== "" && !accepted.has(v) && (!v.startsWith("timezone=") || !timezoneKnown) && !v.startsWith("max-affected="),
  );
  return prefs;
}

function splitOnce(value: string): [string, string] {
  const i = value.indexOf("=");
  return i < 0 ? [value, ""] : [value.slice(0, i), value.slice(i + 1)];
}

/** `handling=strict` refuses any preference PostgREST does not recognise (400 PGRST122). */
export function refuseInvalidPreferences(prefs: Preferences): void {
  if (prefs.handling === "strict" && prefs.invalid.length > 0) {
    throw pgrstError(
      400,
      "PGRST122",
      "Invalid preferences given with handling=strict",
      `Invalid preferences: ${prefs.invalid.join(", ")}`,
    );
  }
}

/** `max-affected=N` under `handling=strict`: more affected rows answer 400 PGRST124 and roll back. */
export function exceedsMaxAffected(prefs: Preferences, affected: number): boolean {
  return prefs.handling === "strict" && prefs.maxAffected !== undefined && affected > prefs.maxAffected;
}

export function maxAffectedError(affected: number) {
  return pgrstError(
    400,
    "PGRST124",
    "Query result exceeds max-affected preference constraint",
    `The query affects ${affected} rows`,
  );
}

/** Whether the request's transaction ends in a rollback, given `db-tx-end` and an applied `tx` preference. */
export function endsInRollback(prefs: Preferences, txEnd: TxEnd): boolean {
  if (prefs.tx) return prefs.tx === "rollback";
  return txEnd.startsWith("rollback");
}

type Applied =
  "resolution" | "missing" | "return" | "params" | "count" | "tx" | "handling" | "timezone" | "maxAffected";

/**
 * The `Preference-Applied` header: the applied preferences among `which`, in PostgREST's order
 * (`max-affected` only under `handling=strict`). Undefined when there is none.
 */
export function preferenceApplied(prefs: Preferences, which: readonly Applied[]): string | undefined {
  const order: [Applied, string | undefined][] = [
    ["resolution", prefs.resolution && `resolution=${prefs.resolution}`],
    ["missing", prefs.missing && `missing=${prefs.missing}`],
    ["return", prefs.return && `return=${prefs.return}`],
    ["params", prefs.params && `params=${prefs.params}`],
    ["count", prefs.count && `count=${prefs.count}`],
    ["tx", prefs.tx && `tx=${prefs.tx}`],
    ["handling", prefs.handling && `handling=${prefs.handling}`],
    ["timezone", prefs.timezone && `timezone=${prefs.timezone}`],
    [
      "maxAffected",
      prefs.handling === "strict" && prefs.maxAffected !== undefined ? `max-affected=${prefs.maxAffected}` : undefined,
    ],
  ];
  const values = order.filter(([key, value]) => value && which.includes(key)).map(([, value]) => value!);
  return values.length ? values.join(", ") : undefined;
}
