/** Quoting for the few statements that cannot take parameters (DDL, COPY, COMMENT). */

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal, assuming standard_conforming_strings (PostgreSQL's default since 9.1). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
