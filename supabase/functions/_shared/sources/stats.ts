import type postgres from "postgres";
import type { ColumnSchema, ColumnType } from "./schema.ts";
import { quoteIdent } from "../rules/sql-text.ts";

/** A column whose statistics are to be measured. */
export interface ColumnToMeasure {
  name: string;
  originalName: string;
  position: number;
  type: ColumnType;
  pgType: string;
  /** Declared nullability; when unknown (uploads), a column is nullable if it holds a null. */
  nullable?: boolean;
}

export interface MeasuredTable {
  rowCount: number;
  columns: ColumnSchema[];
}

const ORDERED: ReadonlySet<ColumnType> = new Set(["integer", "bigint", "numeric", "date", "timestamp", "timestamptz"]);
/** Types compared as text when counting distinct values (json has no equality; unknown types may lack one). */
const COMPARED_AS_TEXT: ReadonlySet<ColumnType> = new Set(["json", "other"]);
const EXAMPLE_ROWS = 1000;
const EXAMPLES_PER_COLUMN = 3;
const EXAMPLE_MAX_CHARS = 100;

/**
 * Measures every column of `from` (a table or a parenthesized, aliased subquery, already safe SQL) in one
 * scan: row count, nulls, exact distinct counts, min/max and longest text. One JSON array per column keeps
 * the target list within PostgreSQL's limit however wide the table is.
 */
export async function measureColumns(
  sql: postgres.Sql | postgres.TransactionSql,
  from: string,
  columns: ColumnToMeasure[],
): Promise<MeasuredTable> {
  const measures = columns.map((column, i) => {
    const q = quoteIdent(column.name);
    const distinctOf = COMPARED_AS_TEXT.has(column.type) ? `${q}::text` : q;
    const range = ORDERED.has(column.type) ? `min(${q})::text, max(${q})::text` : "null::text, null::text";
    const longest = column.type === "text" ? `max(char_length(${q}))` : "null::int";
    return `jsonb_build_array(count(${q}), count(distinct ${distinctOf}), ${range}, ${longest}) as m${i}`;
  });
  const examples = columns.map((column, i) => {
    const value = `left(${quoteIdent(column.name)}::text, ${EXAMPLE_MAX_CHARS})`;
    return `(array_agg(distinct ${value}) filter (where ${quoteIdent(column.name)} is not null))[1:${EXAMPLES_PER_COLUMN}] as e${i}`;
  });
  const [stats] = await sql.unsafe(
    `select count(*)::bigint as row_count${measures.map((m) => `, ${m}`).join("")} from ${from}`,
  );
  const [samples] = columns.length
    ? await sql.unsafe(`select ${examples.join(", ")} from (select * from ${from} limit ${EXAMPLE_ROWS}) as sample`)
    : [];
  const rowCount = Number(stats?.row_count ?? 0);
  return {
    rowCount,
    columns: columns.map((column, i) => {
      const [nonNull, distinct, min, max, maxLength] = stats?.[`m${i}`] as [
        number,
        number,
        string | null,
        string | null,
        number | null,
      ];
      return {
        ...column,
        nullable: column.nullable ?? nonNull < rowCount,
        nullCount: rowCount - nonNull,
        distinctCount: distinct,
        distinctIsEstimate: false,
        min,
        max,
        maxLength,
        examples: (samples?.[`e${i}`] as string[] | null) ?? [],
      };
    }),
  };
}
