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
  const copy = tx.unsafe(`copy ${table} (${columnList}) from stdin`);
  const failed = copyFailure(copy);
  const writable = await copy.writable();
  const piped = pipeline(Readable.from(chunks(), { highWaterMark: 2 }), writable);
  piped.catch(() => undefined);
  await Promise.race([piped, failed]);
  return rows;
}

/**
 * A promise rejected with the server's error when the COPY fails. postgres.js ends the writable's `final` step
 * only on the COPY's CommandComplete: when the server refuses the data after the last row was sent (a row too
 * big to store is found when COPY flushes its last batch), the error goes to the query, whose promise already
 * resolved to the stream, and the upload would wait forever in an aborted transaction holding its connection.
 * The query's `reject` (postgres.js's Query, which it calls for every error of the query) is wrapped to hear it.
 */
function copyFailure(copy: object): Promise<never> {
  const query = copy as unknown as { reject?: (error: unknown) => void };
  return new Promise<never>((_, reject) => {
    const original = query.reject;
    if (typeof original !== "function") return;
    query.reject = (error: unknown) => {
      reject(error);
      original(error);
    };
  });
}
