import { errors } from "./errors.ts";

/**
 * The characters Supabase Storage accepts in object names and bucket names (its `isValidKey` and
 * `isValidBucketName`: S3's safe characters and a few that need special handling). Anything else, such as
 * control characters, `#`, `%`, `\`, `<`, non-ASCII letters, is refused.
 */
const keyCharacters = /^[\w/!\-.*'() &$@=;:+,?]*$/;
const bucketCharacters = /^[\w!\-.*'() &$@=;:+,?]*$/;

/** S3's limit on a key, in bytes. */
export const maxKeyBytes = 1024;
export const maxBucketNameLength = 100;

/**
 * Refuses an object name Storage refuses, and, more strictly than Storage, one that reads as a path that
 * leaves its folder: a `.` or `..` segment, a leading `/` (absolute), an empty segment (`a//b`, a trailing
 * `/`). The local stack never uses a name as a file path (bytes are stored by version id), so this is about
 * names the app would show or compare, not about the disk.
 */
export function mustBeValidKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) throw errors.invalidKey(String(key ?? ""));
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  const printable = key.replace(/[\u0000-\u001f\u007f]/g, "?");
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
    !bucketCharacters.test(name) ||
    name === "." ||
    name === ".."
  ) {
    throw errors.invalidBucketName();
  }
  return name;
}

/**
 * Storage's file size notation for `file_size_limit`: a number of bytes, or a string such as `20MB`, `30KB`,
 * `3B`, `1GB` (units of 1,024). Null and undefined mean no limit of the bucket's own.
 */
export function parseFileSizeLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw errors.invalidFileSizeLimit();
    return value;
  }
  if (typeof value !== "string") throw errors.invalidFileSizeLimit();
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?\s*$/i.exec(value);
  if (!match) throw errors.invalidFileSizeLimit();
  const unit = (match[2] ?? "B").toUpperCase().replace("I", "");
  const factor = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[unit]!;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes)) throw errors.invalidFileSizeLimit();
  return bytes;
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
