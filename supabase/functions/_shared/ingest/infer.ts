import type postgres from "postgres";
import type { ColumnType } from "../sources/schema.ts";
import { quoteIdent } from "../rules/sql-text.ts";
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
const GLANCE_ROWS = 1000;

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
  // CASE, not AND: only CASE guarantees the cast is not attempted for year 0.
  return `case when left(${v}, 4) = '0000' then false else ${firstOfMonth} + (substr(${v}, 9, 2)::int - 1) < ${firstOfMonth} + interval '1 month' end`;
}

// Each value is put in the narrowest class it fits; a column's classes, OR-ed together, decide its type.
const BOOLEAN_CLASS = 1;
const INTEGER_CLASS = 2;
const NUMERIC_CLASS = 4;
const DATE_CLASS = 8;
const TIMESTAMP_CLASS = 16;
const TEXT_CLASS = 32;

/** The class of value `v`, in one CASE so that a value stops being tested at its first match. */
function valueClass(v: string): string {
  return `case when ${v} is null then 0
    when ${v} ~* '${BOOLEAN}' then ${BOOLEAN_CLASS}
    when ${v} ~ '${INTEGER}' then ${INTEGER_CLASS}
    when ${v} ~ '${NUMERIC}' then ${NUMERIC_CLASS}
    when ${v} ~ '${DATE}$' then case when ${realDay(v)} then ${DATE_CLASS} else ${TEXT_CLASS} end
    when ${v} ~ '${DATE}${TIME}$' then case when ${realDay(v)} then ${TIMESTAMP_CLASS} else ${TEXT_CLASS} end
    else ${TEXT_CLASS} end`;
}

function within(classes: number, allowed: number): boolean {
  return classes !== 0 && (classes & ~allowed) === 0;
}

function choose(classes: number, min: string | null, max: string | null): ColumnType {
  if (within(classes, BOOLEAN_CLASS)) return "boolean";
  if (within(classes, INTEGER_CLASS) && min !== null && max !== null) {
    const [low, high] = [BigInt(min), BigInt(max)];
    if (low >= INT4[0] && high <= INT4[1]) return "integer";
    if (low >= INT8[0] && high <= INT8[1]) return "bigint";
    return "numeric";
  }
  if (within(classes, INTEGER_CLASS | NUMERIC_CLASS)) return "numeric";
  if (within(classes, DATE_CLASS)) return "date";
  if (within(classes, DATE_CLASS | TIMESTAMP_CLASS)) return "timestamptz";
  return "text";
}

/** The OR of the value classes of each listed column over `from`, with integer bounds where asked. */
async function classify(
  tx: postgres.TransactionSql,
  from: string,
  columns: { column: HeaderColumn; index: number; bounds: boolean }[],
): Promise<Map<number, { classes: number; min: string | null; max: string | null }>> {
  const values = columns.map(({ column, index }) => `${normalized(column.name)} as v${index}`).join(", ");
  const measures = columns.map(({ index, bounds }) => {
    const v = `n.v${index}`;
    const range = bounds
      ? `(min(${v}::numeric) filter (where ${v} ~ '${INTEGER}'))::text, (max(${v}::numeric) filter (where ${v} ~ '${INTEGER}'))::text`
      : "null::text, null::text";
    return `jsonb_build_array(bit_or(${valueClass(v)}), ${range}) as c${index}`;
  });
  const [row] = await tx.unsafe(
    `select ${measures.join(", ")} from ${from} cross join lateral (select ${values} offset 0) as n`,
  );
  return new Map(
    columns.map(({ index }) => {
      const [classes, min, max] = row?.[`c${index}`] as [number | null, string | null, string | null];
      return [index, { classes: classes ?? 0, min, max }];
    }),
  );
}

/**
 * Infers each column's type from every one of its values, then converts the typed columns in one rewrite:
 * a CREATE TABLE AS SELECT that replaces the table (not one ALTER TABLE with an ALTER COLUMN TYPE clause per
 * column, which PostgreSQL takes minutes over for 1,600 columns of a three-row table). A first look at a thousand rows settles the columns that are plainly text, so the
 * full scan only tests the columns that may still be typed. A column with no values stays text.
 * Timestamps without an offset are read as UTC: the caller's transaction sets the time zone.
 */
export async function inferAndConvert(
  tx: postgres.TransactionSql,
  schema: string,
  name: string,
  columns: HeaderColumn[],
): Promise<TypedColumn[]> {
  const table = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const all = columns.map((column, index) => ({ column, index, bounds: false }));
  const glance = await classify(tx, `(select * from ${table} limit ${GLANCE_ROWS}) as glance`, all);
  const open = all
    .filter(({ index }) => !(glance.get(index)!.classes & TEXT_CLASS))
    .map((c) => ({
      ...c,
      bounds: within(glance.get(c.index)!.classes, INTEGER_CLASS) || glance.get(c.index)!.classes === 0,
    }));
  const full = open.length ? await classify(tx, table, open) : new Map();
  const typed = columns.map((column, index) => {
    const evidence = full.get(index);
    const type = evidence ? choose(evidence.classes, evidence.min, evidence.max) : "text";
    return { ...column, type, pgType: PG_TYPES[type]! };
  });
  if (typed.some((c) => c.type !== "text")) {
    const staging = `ingest_${crypto.randomUUID().replaceAll("-", "")}`;
    const list = typed
      .map((c) =>
        c.type === "text" ? quoteIdent(c.name) : `(${normalized(c.name)})::${c.pgType} as ${quoteIdent(c.name)}`,
      )
      .join(", ");
    await tx.unsafe(`create table ${quoteIdent(schema)}.${quoteIdent(staging)} as select ${list} from ${table}`);
    await tx.unsafe(`drop table ${table}`);
    await tx.unsafe(`alter table ${quoteIdent(schema)}.${quoteIdent(staging)} rename to ${quoteIdent(name)}`);
  }
  return typed;
}
