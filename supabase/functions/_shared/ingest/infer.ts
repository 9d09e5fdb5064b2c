import type postgres from "postgres";
import type { ColumnType } from "../sources/schema.ts";
import { quoteIdent } from "../sources/sql.ts";
import type { HeaderColumn } from "./headers.ts";

/** A loaded column with the type inferred for it. */
export interface TypedColumn extends HeaderColumn {
  type: ColumnType;
  pgType: string;
}

// Each pattern admits only text its cast accepts, so the conversion below cannot fail half-way.
// Integers with leading zeros (account numbers, postcodes) stay text: converting would lose the zeros.
const BOOLEAN = "^(true|false|t|f|yes|no|y|n)$";
const INTEGER = "^[+-]?(0|[1-9][0-9]*)$";
const NUMERIC = "^[+-]?((0|[1-9][0-9]*)([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$";
const DATE = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
const TIME =
  "([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?([zZ]|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?";
const INT4 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT8 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

const PG_TYPES: Record<string, string> = {
  boolean: "boolean",
  integer: "integer",
  bigint: "bigint",
  numeric: "numeric",
  date: "date",
  timestamptz: "timestamp with time zone",
  text: "text",
};

/** The value as typed columns see it: trimmed, with blanks and the word null taken as missing. */
function normalized(column: string): string {
  const trimmed = `btrim(${quoteIdent(column)})`;
  return `case when ${trimmed} = '' or lower(${trimmed}) = 'null' then null else ${trimmed} end`;
}

/** True when `v` (already matching DATE at its start) names a day that exists: no year 0, no 30 February. */
function realDay(v: string): string {
  const firstOfMonth = `(left(${v}, 8) || '01')::date`;
  return `case when left(${v}, 4) = '0000' then false else ${firstOfMonth} + (substr(${v}, 9, 2)::int - 1) < ${firstOfMonth} + interval '1 month' end`;
}

function matchesAll(v: string, pattern: string, check?: string): string {
  if (!check) return `bool_and(${v} ~ '${pattern}')`;
  return `bool_and(case when ${v} is null then null when ${v} ~ '${pattern}' then ${check} else false end)`;
}

type Evidence = [
  boolean | null,
  boolean | null,
  string | null,
  string | null,
  boolean | null,
  boolean | null,
  boolean | null,
];

function choose([isBoolean, isInteger, min, max, isNumeric, isDate, isTimestamp]: Evidence): ColumnType {
  if (isBoolean) return "boolean";
  if (isInteger && min !== null && max !== null) {
    const [low, high] = [BigInt(min), BigInt(max)];
    if (low >= INT4[0] && high <= INT4[1]) return "integer";
    if (low >= INT8[0] && high <= INT8[1]) return "bigint";
    return "numeric";
  }
  if (isNumeric) return "numeric";
  if (isDate) return "date";
  if (isTimestamp) return "timestamptz";
  return "text";
}

/**
 * Infers each column's type from every one of its values (one scan of the loaded text), then converts the
 * typed columns in one ALTER TABLE (one rewrite). A column with no values stays text. Timestamps without
 * an offset are read as UTC: the caller's transaction sets the time zone.
 */
export async function inferAndConvert(
  tx: postgres.TransactionSql,
  table: string,
  columns: HeaderColumn[],
): Promise<TypedColumn[]> {
  const values = columns.map((c, i) => `${normalized(c.name)} as v${i}`).join(", ");
  const evidence = columns.map((_, i) => {
    const v = `n.v${i}`;
    return `jsonb_build_array(
      bool_and(${v} ~* '${BOOLEAN}'), ${matchesAll(v, INTEGER)},
      (min(${v}::numeric) filter (where ${v} ~ '${INTEGER}'))::text,
      (max(${v}::numeric) filter (where ${v} ~ '${INTEGER}'))::text,
      ${matchesAll(v, NUMERIC)}, ${matchesAll(v, `${DATE}$`, realDay(v))}, ${matchesAll(v, `${DATE}${TIME}$`, realDay(v))}
    ) as t${i}`;
  });
  const [row] = await tx.unsafe(
    `select ${evidence.join(", ")} from ${table} cross join lateral (select ${values}) as n`,
  );
  const typed = columns.map((column, i) => {
    const type = choose(row?.[`t${i}`] as Evidence);
    return { ...column, type, pgType: PG_TYPES[type]! };
  });
  const changes = typed
    .filter((c) => c.type !== "text")
    .map((c) => `alter column ${quoteIdent(c.name)} type ${c.pgType} using (${normalized(c.name)})::${c.pgType}`);
  if (changes.length) await tx.unsafe(`alter table ${table} ${changes.join(", ")}`);
  return typed;
}
