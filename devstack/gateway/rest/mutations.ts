import { jsonTooDeep, maxJsonDepth } from "../json.ts";
import { columnNotFound, invalidBody, pgrstError } from "./errors.ts";
import { renderFilter } from "./filters.ts";
import { fieldSql, ident, literal, type Params } from "./query-builder.ts";
import type { ReadNode } from "./read-plan.ts";
import type { Table } from "./schema-cache.ts";

/** What an INSERT/UPDATE/DELETE hands back to the statement that follows it. */
export type Returning = "rows" | "primary-key" | "nothing";

function returningClause(table: Table, returning: Returning): string {
  if (returning === "rows") return `returning ${ident(table.name)}.*`;
  if (returning === "primary-key" && table.primaryKey.length > 0) {
    return `returning ${table.primaryKey.map((c) => `${ident(table.name)}.${ident(c)}`).join(", ")}`;
  }
  return "returning 1";
}

function qualified(table: Table): string {
  return `${ident(table.schema)}.${ident(table.name)}`;
}

/**
 * Parses a JSON request body, answering 400 PGRST102 the way PostgREST does. A body nested deeper than
 * `maxJsonDepth` gets the same code before PostgreSQL could fail on it with a 500 (`54001`).
 */
export function parseJsonBody(raw: string): unknown {
  if (jsonTooDeep(raw)) {
    throw pgrstError(
      400,
      "PGRST102",
      "Empty or invalid json",
      `The JSON body is nested deeper than ${maxJsonDepth} levels`,
    );
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidBody("Empty or invalid json");
  }
}

/** Reads the `columns` parameter (`a,b,"c d"`). */
export function parseColumnsParam(value: string): string[] {
  return value
    .split(",")
    .map((c) => c.trim().replace(/^"(.*)"$/, "$1"))
    .filter((c) => c !== "");
}

export interface InsertPayload {
  columns: string[];
  /** JSON array text of the rows, bound as one parameter. */
  json: string;
}

/** Works out the inserted columns from the body (keys must match across rows) or the `columns` parameter. */
export function insertPayload(table: Table, raw: string, columnsParam: string | null): InsertPayload {
  const body = parseJsonBody(raw);
  const rows = Array.isArray(body) ? body : [body];
  if (rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) {
    throw invalidBody("Empty or invalid json");
  }
  let columns: string[];
  if (columnsParam !== null) {
    columns = parseColumnsParam(columnsParam);
  } else {
    const first = Object.keys(rows[0] ?? {});
    const sameKeys = (r: object) => {
      const keys = Object.keys(r);
      return keys.length === first.length && keys.every((k) => first.includes(k));
    };
    if (!rows.every(sameKeys)) throw invalidBody("All object keys must match");
    columns = first;
  }
  for (const column of columns) if (!table.columns.has(column)) throw columnNotFound(table.name, column);
  return { columns, json: Array.isArray(body) ? raw : `[${raw}]` };
}

export interface InsertOptions {
  onConflict: string[] | null;
  resolution: "merge-duplicates" | "ignore-duplicates" | null;
  missingDefault: boolean;
  returning: Returning;
  /** PUT: the primary key values of the URL, which the body's must equal (else nothing is written). */
  putKey?: { column: string; value: string }[];
}

/** PostgREST's `pgrst.inserted` counter: `+` for each row proposed for insertion, `-` for each updated instead. */
function insertedCounter(op: "+" | "-"): string {
  const current = "coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0)";
  return `set_config('pgrst.inserted', (${current} ${op} 1)::text, true) <> '${op === "+" ? "0" : "-1"}'`;
}

/** How many rows an upsert inserted (rather than updated), read after the statement's insert has run. */
export const insertedCountSql = "nullif(current_setting('pgrst.inserted', true), '')::int";

export function buildInsert(table: Table, payload: InsertPayload, options: InsertOptions, params: Params): string {
  const json = `${params.bind(payload.json)}::text::json`;
  const target = `null::${qualified(table)}`;
  const cols = payload.columns.map(ident);
  let select: string;
  if (options.missingDefault) {
    // A key missing from one object takes the column default instead of null.
    const exprs = payload.columns.map((c) => {
      const def = table.columns.get(c)!.default;
      const value = `_pgrst_body.${ident(c)}`;
      return def ? `case when _pgrst_j.obj::jsonb ? ${literal(c)} then ${value} else ${def} end` : value;
    });
    select = `select ${exprs.join(", ")} from json_array_elements(${json}) as _pgrst_j(obj) cross join lateral json_populate_record(${target}, _pgrst_j.obj) as _pgrst_body`;
  } else {
    select = `select ${cols.map((c) => `_pgrst_body.${c}`).join(", ")} from json_populate_recordset(${target}, ${json}) as _pgrst_body`;
  }
  let conflict = "";
  let counted = "";
  if (options.resolution) {
    const keys = options.onConflict ?? table.primaryKey;
    for (const key of keys) if (!table.columns.has(key)) throw columnNotFound(table.name, key);
    // As PostgREST: without a primary key or on_conflict there is no conflict target, so no ON CONFLICT at all.
    if (keys.length > 0) {
      const target = ` (${keys.map(ident).join(", ")})`;
      if (options.resolution === "merge-duplicates" && payload.columns.length > 0) {
        // Every given column is set, the conflict columns too: a body of only the key still updates the row.
        const updates = payload.columns.map((c) => `${ident(c)} = excluded.${ident(c)}`);
        conflict = ` on conflict${target} do update set ${updates.join(", ")} where ${insertedCounter("-")}`;
      } else {
        conflict = ` on conflict${target} do nothing`;
      }
    }
    // Each proposed row counts +1 and each row updated instead -1, so the status can tell insert from update.
    if (options.resolution === "merge-duplicates") counted = ` where ${insertedCounter("+")}`;
  }
  for (const { column, value } of options.putKey ?? []) {
    const type = table.columns.get(column)!.type;
    counted += ` and _pgrst_body.${ident(column)} = ${params.bind(value)}::text::${type}`;
  }
  return `insert into ${qualified(table)} as ${ident(table.name)} (${cols.join(", ")}) ${select}${counted}${conflict} ${returningClause(table, options.returning)}`;
}

function whereClause(root: ReadNode, params: Params): string {
  const r = {
    field: (ref: Parameters<typeof fieldSql>[1]) => fieldSql(root, ref, params),
    bind: (v: string) => params.bind(v),
  };
  const parts = root.filters.map((f) => renderFilter(f, r));
  return parts.length ? ` where ${parts.join(" and ")}` : "";
}

/** Whether `limit`/`offset` restrict a PATCH or DELETE (PostgREST's limited update and delete). */
export function isLimited(root: ReadNode): boolean {
  return root.limit !== undefined || (root.offset !== undefined && root.offset > 0);
}

/**
 * The rows a limited PATCH/DELETE may touch, as PostgREST 12 picks them: the filtered rows in `order`, cut by
 * `limit`/`offset`, matched back to the table by the order columns. An `order` is required (400 PGRST109).
 */
function limitedRows(table: Table, root: ReadNode, params: Params): { from: string; where: string } {
  if (root.order.length === 0 || root.order.some((t) => t.embed || t.field.jsonPath.length > 0)) {
    throw pgrstError(
      400,
      "PGRST109",
      "A 'limit' was applied without an explicit 'order'",
      null,
      "Apply an 'order' using unique column(s)",
    );
  }
  const columns = root.order.map((t) => t.field.name);
  const terms = root.order.map(
    (t) =>
      `${fieldSql(root, t.field, params).expr}${t.direction ? ` ${t.direction}` : ""}${t.nulls ? ` nulls ${t.nulls}` : ""}`,
  );
  let tail = ` order by ${terms.join(", ")}`;
  if (root.limit !== undefined) tail += ` limit ${params.bind(String(root.limit))}::text::int8`;
  if (root.offset) tail += ` offset ${params.bind(String(root.offset))}::text::int8`;
  const picked = `(select ${columns.map((c) => `${ident(table.name)}.${ident(c)}`).join(", ")} from ${qualified(table)} as ${ident(table.name)}${whereClause(root, params)}${tail}) as _pgrst_affected`;
  const match = columns.map((c) => `${ident(table.name)}.${ident(c)} = _pgrst_affected.${ident(c)}`).join(" and ");
  return { from: picked, where: ` where ${match}` };
}

/** PGRST110: a limited PATCH/DELETE changed more rows than its limit (its order columns were not unique). */
export function offLimitsError(changed: number, limit: number) {
  return pgrstError(
    400,
    "PGRST110",
    "The maximum number of rows allowed to change was surpassed",
    `Results contain ${changed} rows changed but the maximum number allowed is ${limit}`,
  );
}

export function buildUpdate(table: Table, root: ReadNode, raw: string, returning: Returning, params: Params): string {
  const body = parseJsonBody(raw);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidBody("Empty or invalid json");
  const columns = Object.keys(body);
  for (const column of columns) if (!table.columns.has(column)) throw columnNotFound(table.name, column);
  if (columns.length === 0) {
    // Nothing to set: PostgREST answers as if no row matched.
    return `select ${ident(table.name)}.* from ${qualified(table)} as ${ident(table.name)} where false`;
  }
  const sets = columns.map((c) => `${ident(c)} = _pgrst_body.${ident(c)}`);
  const source = `(select * from json_populate_record(null::${qualified(table)}, ${params.bind(raw)}::text::json)) as _pgrst_body`;
  if (isLimited(root)) {
    const rows = limitedRows(table, root, params);
    return `update ${qualified(table)} as ${ident(table.name)} set ${sets.join(", ")} from ${source}, ${rows.from}${rows.where} ${returningClause(table, returning)}`;
  }
  return `update ${qualified(table)} as ${ident(table.name)} set ${sets.join(", ")} from ${source}${whereClause(root, params)} ${returningClause(table, returning)}`;
}

export function buildDelete(table: Table, root: ReadNode, returning: Returning, params: Params): string {
  if (isLimited(root)) {
    const rows = limitedRows(table, root, params);
    return `delete from ${qualified(table)} as ${ident(table.name)} using ${rows.from}${rows.where} ${returningClause(table, returning)}`;
  }
  return `delete from ${qualified(table)} as ${ident(table.name)}${whereClause(root, params)} ${returningClause(table, returning)}`;
}
