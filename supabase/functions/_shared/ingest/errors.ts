/** Why an upload was refused; stable codes the app maps to its own wording. */
export type IngestErrorCode =
  | "too_large"
  | "empty_file"
  | "no_rows"
  | "bad_encoding"
  | "bad_header"
  | "ragged_row"
  | "unterminated_quote"
  | "bad_quote"
  | "record_too_large"
  | "table_exists"
  | "bad_table_name"
  | "row_too_wide"
  | "beyond_database_limits"
  | "bad_value";

/** A refused upload: a code, the 1-based line of the file where the problem is (when there is one), a message for testers. */
export class IngestError extends Error {
  override readonly name = "IngestError";

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly line: number | null = null,
    readonly byteOffset: number | null = null,
  ) {
    super(message);
  }

  toJSON(): { code: IngestErrorCode; message: string; line: number | null; byteOffset: number | null } {
    return { code: this.code, message: this.message, line: this.line, byteOffset: this.byteOffset };
  }
}

/**
 * The refusal for an error the database raised while loading a file, when the file is the cause: a row wider
 * than a table row can be (54000), another of PostgreSQL's limits (class 54), a value it cannot store (class
 * 22). Null for anything else (a lost connection, a full disk), which is the server's fault, not the file's.
 */
export function refusalOfDatabaseError(error: unknown): IngestError | null {
  if (!(error instanceof Error) || !("severity" in error)) return null;
  const code = String((error as { code?: unknown }).code ?? "");
  if (code === "54000" && /row is too big/.test(error.message)) {
    return new IngestError(
      "row_too_wide",
      `A row of the file is wider than a database table row can be (${error.message}): PostgreSQL stores a row ` +
        "of short values in one 8 KB page. Split the file into files of fewer columns.",
    );
  }
  if (code.startsWith("54")) {
    return new IngestError("beyond_database_limits", `The file is beyond the database's limits: ${error.message}.`);
  }
  if (code.startsWith("22")) return new IngestError("bad_value", `The database refused a value: ${error.message}.`);
  return null;
}
