import { errors } from "./errors.ts";

/**
 * The characters Supabase Storage accepts in object names (its `isValidKey`): any UTF-8 but the C0 and C1
 * controls and DEL, S3's "characters to avoid" (`# [ ] { } ^ \` " < > \\ | % ~`) and the invisible characters
 * that let a name spoof or hide a path (zero-width space, direction marks and overrides, BOM…).
 */
const keyCharacters =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- these are what is refused
  /^[^\u0000-\u001f\u007f\u0080-\u009f#[\]{}^`"<>\\|%~\u{034F}\u{061C}\u{200B}\u{200E}\u{200F}\u{2028}\u{2029}\u{202A}-\u{202E}\u{2060}\u{2066}-\u{2069}\u{FEFF}]+$/u;
/** Bucket names are ASCII, S3's bucket characters (Storage's `isValidBucketName`). */
const bucketCharacters = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]+$/;

/** S3's limit on a key, in bytes of UTF-8. */
export const maxKeyBytes = 1024;
export const maxBucketNameLength = 100;

/**
 * Refuses an object name Storage refuses (characters, a `.` or `..` segment, more than 1,024 bytes), and, more
 * strictly than Storage, one that starts with `/` (absolute) or has an empty segment (`a//b`, a trailing `/`).
 * The local stack never uses a name as a file path (bytes are stored by version id), so this is about names
 * the app shows, compares and signs, not about the disk.
 */
export function mustBeValidKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) throw errors.invalidKey(String(key ?? ""));
  // eslint-disable-next-line no-control-regex -- control characters are shown as `?` in the refusal
  const printable = key.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  if (!keyCharacters.test(key) || Buffer.byteLength(key) > maxKeyBytes) throw errors.invalidKey(printable);
  const segments = key.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) throw errors.invalidKey(printable);
  return key;
}

export function mustBeValidBucketName(name: unknown): string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length > maxBucketNameLength ||
    !bucketCharacters.test(name)
  ) {
    throw errors.invalidBucketName();
  }
  return name;
}

/**
 * Storage's file size notation for a bucket's `file_size_limit`: a number of bytes, or a string such as `20MB`,
 * `30KB`, `3B`, `1GB` (decimal units, as Storage parses them). Null and undefined mean no limit of the bucket's own.
 */
export function parseFileSizeLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw errors.invalidFileSizeLimit();
    return value;
  }
  if (typeof value !== "string") throw errors.invalidFileSizeLimit();
  const match = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value);
  if (!match) throw errors.invalidFileSizeLimit();
  const factor = { GB: 1e9, MB: 1e6, KB: 1e3, B: 1 }[match[2]!.toUpperCase() as "GB" | "MB" | "KB" | "B"];
  const bytes = Math.round(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes)) throw errors.invalidFileSizeLimit();
  return bytes;
}

/**
 * The Supabase CLI's notation in supabase/config.toml (`[storage] file_size_limit = "50MiB"`): binary units,
 * KiB/MiB/GiB, and KB/MB/GB read as binary too, as the CLI reads them.
 */
export function parseConfigSize(value: string | number): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(value);
  if (!match) return null;
  const unit = (match[2] ?? "b").toLowerCase()[0]!;
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as "b" | "k" | "m" | "g"];
  return Math.floor(Number(match[1]) * factor);
}

/** `type/subtype`, where the subtype may be `*` in a bucket's allowed list. */
const mimePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/(\*|[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*)$/;

export function parseAllowedMimeTypes(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !mimePattern.test(v.trim()))) {
    throw errors.invalidRequest("allowed_mime_types must be a list of media types such as image/png or image/*");
  }
  return value.map((v: string) => v.trim().toLowerCase());
}

/** The media type of a Content-Type value, without its parameters, lowercased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Storage's check of an upload's media type against a bucket's allowed list (exact `type/subtype`, or
 * `type/*`). Parameters (`; charset=…`) are not part of the comparison.
 */
export function mustBeAllowedMimeType(contentType: string, allowed: string[] | null): void {
  if (!allowed || allowed.length === 0) return;
  const type = mediaType(contentType);
  const [main, sub] = type.split("/");
  for (const entry of allowed) {
    const [allowedMain, allowedSub] = entry.split("/");
    if (allowedMain === main && (allowedSub === "*" || allowedSub === sub)) return;
  }
  throw errors.invalidMimeType(contentType);
}
