import { IngestError } from "./errors.ts";

const LF = 0x0a;

/** A limit as the refusals say it: "50 MB", "1.5 MB". */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Passes the upload's bytes through unchanged while refusing, as soon as they arrive, a file over
 * `maxBytes`, an empty file, and anything that is not UTF-8 (PostgreSQL text cannot hold NUL bytes either).
 * Validating here, with a byte offset and a line number, gives testers a message they can act on, where a
 * decoder would only say "invalid data".
 */
export function guardBytes(
  maxBytes: number,
  onBytes?: (total: number) => void,
): TransformStream<Uint8Array, Uint8Array> {
  let offset = 0;
  let line = 1;
  // Continuation bytes still expected, the allowed range for the next one, and where the sequence began.
  let needed = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let sequenceStart = 0;
  let sequenceLine = 1;
  let sequenceLead = 0;

  const badByte = (byte: number, at: number, atLine: number): IngestError => {
    if (at === 0 && (byte === 0xff || byte === 0xfe)) {
      return new IngestError(
        "bad_encoding",
        "The file is UTF-16 encoded; save it as UTF-8 (in Excel: CSV UTF-8).",
        1,
        0,
      );
    }
    const what = byte === 0 ? "a NUL byte" : `a byte (${hex(byte)}) that is not valid UTF-8`;
    return new IngestError(
      "bad_encoding",
      `Line ${atLine} has ${what} at byte offset ${at}; save the file as UTF-8 (in Excel: CSV UTF-8).`,
      atLine,
      at,
    );
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (offset + chunk.byteLength > maxBytes) {
        throw new IngestError("too_large", `The file is larger than the ${megabytes(maxBytes)} limit.`);
      }
      for (let i = 0; i < chunk.byteLength; i++) {
        const byte = chunk[i]!;
        const at = offset + i;
        if (needed === 0) {
          if (byte < 0x80) {
            if (byte === LF) line++;
            else if (byte === 0) throw badByte(byte, at, line);
            continue;
          }
          sequenceStart = at;
          sequenceLine = line;
          sequenceLead = byte;
          if (byte >= 0xc2 && byte <= 0xdf) needed = 1;
          else if (byte >= 0xe0 && byte <= 0xef) {
            needed = 2;
            if (byte === 0xe0) lower = 0xa0;
            if (byte === 0xed) upper = 0x9f;
          } else if (byte >= 0xf0 && byte <= 0xf4) {
            needed = 3;
            if (byte === 0xf0) lower = 0x90;
            if (byte === 0xf4) upper = 0x8f;
          } else throw badByte(byte, at, line);
        } else {
          if (byte < lower || byte > upper) throw badByte(sequenceLead, sequenceStart, sequenceLine);
          lower = 0x80;
          upper = 0xbf;
          needed--;
        }
      }
      offset += chunk.byteLength;
      onBytes?.(offset);
      controller.enqueue(chunk);
    },
    flush() {
      if (offset === 0) throw new IngestError("empty_file", "The file is empty.");
      if (needed > 0) {
        throw new IngestError(
          "bad_encoding",
          `Line ${sequenceLine} ends the file in the middle of a character at byte offset ${sequenceStart}; save the file as UTF-8.`,
          sequenceLine,
          sequenceStart,
        );
      }
    },
  });
}
