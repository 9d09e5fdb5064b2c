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
  | "bad_table_name";

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
