import { IngestError } from "./errors.ts";

/** A column of the uploaded table: its safe identifier and the header it came from. */
export interface HeaderColumn {
  name: string;
  originalName: string;
  position: number;
}

/** PostgreSQL's limits: identifiers of 63 bytes, 1,600 columns per table. */
export const MAX_HEADER_LENGTH = 63;
export const MAX_COLUMNS = 1600;
const SYSTEM_COLUMNS = new Set(["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid"]);

/** A lowercase snake_case identifier for a header: accents dropped, anything else non-alphanumeric becomes `_`. */
export function toIdentifier(header: string, position: number): string {
  let name = header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") name = `column_${position}`;
  if (/^[0-9]/.test(name)) name = `c_${name}`;
  name = name.slice(0, MAX_HEADER_LENGTH).replace(/_+$/, "");
  return SYSTEM_COLUMNS.has(name) ? `${name}_col` : name;
}

/**
 * Checks the header row and gives each column a safe, unique identifier, keeping the original header.
 * Blank, duplicate and overlong headers are refused: each would make the table's columns ambiguous to testers.
 */
export function readHeader(fields: string[], line: number): HeaderColumn[] {
  if (fields.length > MAX_COLUMNS) {
    throw new IngestError("bad_header", `The header has ${fields.length} columns; the limit is ${MAX_COLUMNS}.`, line);
  }
  const seen = new Map<string, number>();
  const used = new Set<string>();
  return fields.map((raw, index) => {
    const position = index + 1;
    const original = raw.trim();
    if (original === "") {
      throw new IngestError("bad_header", `Column ${position} of the header (line ${line}) has no name.`, line);
    }
    if (original.length > MAX_HEADER_LENGTH) {
      throw new IngestError(
        "bad_header",
        `Column ${position} of the header (line ${line}) has a name of ${original.length} characters; the limit is ${MAX_HEADER_LENGTH}.`,
        line,
      );
    }
    const key = original.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new IngestError(
        "bad_header",
        `Columns ${earlier} and ${position} of the header are both named "${original}".`,
        line,
      );
    }
    seen.set(key, position);
    const base = toIdentifier(original, position);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, MAX_HEADER_LENGTH - String(n).length - 1)}_${n}`;
    used.add(name);
    return { name, originalName: original, position };
  });
}
