import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { quoteIdent } from "../rules/sql-text.ts";
import type { CsvRecord } from "./csv.ts";
import { IngestError } from "./errors.ts";
import type { HeaderColumn } from "./headers.ts";

const CHUNK_CHARS = 64 * 1024;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field in COPY's text format; an empty field is NULL. */
export function copyField(value: string): string {
  if (value === "") return "\\N";
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

function fields(count: number): string {
  return count === 1 ? "1 field" : `${count} fields`;
}

/**
 * Streams the records into `table` (already created with one text column per header column) through COPY,
 * refusing a record whose field count differs from the header's. Rows go out in chunks of about 64 KB;
 * the pipeline's backpressure keeps only a few chunks in memory. Returns the number of rows loaded.
 */
export async function copyRecords(
  tx: postgres.TransactionSql,
  table: string,
  columns: HeaderColumn[],
  records: AsyncIterable<CsvRecord>,
  onRows?: (rows: number) => void,
): Promise<number> {
  let rows = 0;
  async function* chunks(): AsyncGenerator<string> {
    let chunk = "";
    for await (const { line, fields: values } of records) {
      if (values.length !== columns.length) {
        throw new IngestError(
          "ragged_row",
          `Line ${line} has ${fields(values.length)}; the header has ${columns.length}.`,
          line,
        );
      }
      chunk += values.map(copyField).join("\t") + "\n";
      rows++;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = "";
        onRows?.(rows);
      }
    }
    if (chunk) yield chunk;
    onRows?.(rows);
  }
  const columnList = columns.map((c) => quoteIdent(c.name)).join(", ");
  const writable = await tx.unsafe(`copy ${table} (${columnList}) from stdin`).writable();
  await pipeline(Readable.from(chunks(), { highWaterMark: 2 }), writable);
  return rows;
}
