// The one place where SQL text is built from names and values, for rules, ingestion and source inspection:
// identifiers are always quoted by quoteIdent, values travel as bound parameters, and quoteLiteral serves
// only statements that cannot take parameters (COMMENT) and queries shown to people with their parameters
// inlined.

/** Quotes an identifier the way PostgreSQL's quote_ident does, always adding the quotes. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new Error("invalid identifier");
  return `"${name.replaceAll('"', '""')}"`;
}

/** A schema-qualified table name, both parts quoted. */
export function quoteTable(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Quotes a literal like quote_literal: doubled quotes, and E'' with doubled backslashes when needed. */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("invalid literal");
  const body = value.replaceAll("'", "''");
  return body.includes("\\") ? `E'${body.replaceAll("\\", "\\\\")}'` : `'${body}'`;
}

/** A PostgreSQL array literal ({"a","b"}) for a text parameter cast to an array type. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

export interface SqlQuery {
  sql: string;
  params: string[];
}

/** Collects bound parameters for one statement and hands out their placeholders. */
export class Params {
  readonly values: string[] = [];

  /** `$n`, with a cast when the type is given (an uncast parameter takes its type from context). */
  add(value: string, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** The query with its parameters written in as quoted literals, for display. */
export function inlineParams(query: SqlQuery): string {
  // Quoted identifiers and literals are skipped whole, so a column named "a$1" stays intact.
  return query.sql.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'|\$(\d+)/g, (match, n: string | undefined) => {
    const value = n === undefined ? undefined : query.params[Number(n) - 1];
    return value === undefined ? match : quoteLiteral(value);
  });
}
