import { Buffer } from "node:buffer";
import { type CsvError, type Options, parse } from "csv-parse/stream";
import { IngestError } from "./errors.ts";

/** One parsed record and the line of the file it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

const DELIMITERS = [",", ";", "\t", "|"] as const;
/** A record longer than this is refused rather than buffered: a quote that never closes would otherwise swallow the file. */
const MAX_RECORD_BYTES = 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

/** The separator of the header line: the candidate seen most often outside quotes, comma on a tie or none. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ",";
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** Reads until the first line break (or a bounded prefix), then returns that prefix and a stream replaying everything. */
async function peekFirstLine(
  stream: ReadableStream<Uint8Array>,
): Promise<{ firstLine: string; replay: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.byteLength;
    if (next.value.includes(0x0a)) break;
  }
  const decoder = new TextDecoder();
  const firstLine = head
    .map((chunk) => decoder.decode(chunk, { stream: true }))
    .join("")
    .split("\n", 1)[0]!;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = head.shift();
      if (chunk) return controller.enqueue(chunk);
      if (done) return controller.close();
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { firstLine, replay };
}

function toIngestError(error: unknown, recordStartLine: (emptyLinesSoFar: number) => number): unknown {
  if (error instanceof IngestError || !(error instanceof Error) || !("code" in error)) return error;
  const csv = error as CsvError & { lines?: number; empty_lines?: number; column?: number };
  const start = recordStartLine(csv.empty_lines ?? 0);
  switch (csv.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new IngestError("unterminated_quote", `Line ${start} opens a quoted field that is never closed.`, start);
    case "CSV_MAX_RECORD_SIZE":
      // Only a quoted field can span lines, so a huge record over several lines is a quote left open.
      return (csv.lines ?? start) > start
        ? new IngestError(
            "unterminated_quote",
            `Line ${start} opens a quoted field that does not close within 1 MB; is a closing quote missing?`,
            start,
          )
        : new IngestError("record_too_large", `Line ${start} starts a record longer than 1 MB.`, start);
    case "CSV_INVALID_CLOSING_QUOTE":
      return new IngestError(
        "bad_quote",
        `Line ${csv.lines} has a quoted field followed by other characters; a quote inside a quoted field must be doubled ("").`,
        csv.lines ?? null,
      );
    case "INVALID_OPENING_QUOTE":
      return new IngestError(
        "bad_quote",
        `Line ${csv.lines} has a quote inside an unquoted field (field ${Number(csv.column) + 1}); put the field in quotes and double the quote ("").`,
        csv.lines ?? null,
      );
    default:
      return error;
  }
}

/**
 * Parses CSV bytes (already validated as UTF-8) into records, one at a time, each with the line it starts on.
 * Records are pulled, so a slow consumer slows the upload instead of filling memory.
 */
export async function* csvRecords(bytes: ReadableStream<Uint8Array>): AsyncGenerator<CsvRecord> {
  const { firstLine, replay } = await peekFirstLine(bytes);
  let lastEndLine = 0;
  let lastEmptyLines = 0;
  const recordStartLine = (emptyLinesSoFar: number) => lastEndLine + 1 + (emptyLinesSoFar - lastEmptyLines);
  const options: Options<CsvRecord, string[]> = {
    delimiter: sniffDelimiter(firstLine.replace(/^\uFEFF/, "")),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (fields: string[], info) => {
      const record: CsvRecord = { line: recordStartLine(info.empty_lines), fields };
      lastEndLine = info.lines;
      lastEmptyLines = info.empty_lines;
      return record;
    },
  };
  // The Web-stream entry point's typings are not generic over the record type that on_record returns.
  const parser = parse(options as unknown as Options) as TransformStream<Uint8Array, CsvRecord>;
  const writer = parser.writable.getWriter();
  const source = replay.getReader();
  // Feeds one chunk at a time, waiting until the parser has taken it: piping would let the parser queue
  // up to 1,024 chunks, most of a large file.
  void (async () => {
    try {
      for (;;) {
        const next = await source.read();
        if (next.done) return await writer.close();
        await writer.write(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      }
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      await source.cancel(error).catch(() => undefined);
    }
  })();
  const reader = parser.readable.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    throw toIngestError(error, recordStartLine);
  } finally {
    // Stops the upload too when the consumer gives up early (a ragged row, a failed COPY).
    void reader.cancel().catch(() => undefined);
    void source.cancel().catch(() => undefined);
  }
}
