import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { containsNul } from "../json.ts";
import { errors } from "./errors.ts";

/** What an upload carries, whichever way storage-js sent it (a multipart form for a Blob, else the raw bytes). */
export interface UploadBody {
  bytes: Buffer;
  contentType: string;
  cacheControl: string;
  /** The caller's own metadata (`metadata` form field or base64 `x-metadata` header), a JSON object. */
  userMetadata: Record<string, unknown> | null;
  md5: string;
}

/** Room for a multipart form's boundaries and fields around the file itself. */
const multipartOverhead = 64 * 1024;
/** An oversized upload is read to its end (so the client gets the refusal, not a reset) up to this much. */
const drainLimit = 1024 * 1024 * 1024;

/**
 * Reads the request body, refusing with Storage's 413 once it passes `limit` (the bucket's file_size_limit, or
 * the stack's). The rest of an oversized body is read and thrown away, so the client sees the answer.
 */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (tooLarge) {
      chunks.length = 0;
      if (size > drainLimit) {
        req.destroy();
        break;
      }
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (tooLarge) throw errors.entityTooLarge();
  return Buffer.concat(chunks);
}

function decodeMetadata(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest("metadata must be a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw errors.invalidRequest("metadata must be a JSON object");
  }
  if (containsNul(value)) throw errors.invalidRequest("metadata must not contain U+0000");
  return value as Record<string, unknown>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads an upload: the first file of a multipart form, or the raw body with its Content-Type. */
export async function readUpload(req: IncomingMessage, limit: number): Promise<UploadBody> {
  const contentType = header(req, "content-type") ?? "";
  const multipart = /^multipart\/form-data\s*;/i.test(contentType);
  const raw = await readLimited(req, multipart ? limit + multipartOverhead : limit);
  let bytes: Buffer;
  let fileType: string;
  let cacheControl = header(req, "cache-control") ?? "no-cache";
  let metadataText: string | undefined;
  if (multipart) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw errors.invalidRequest("The multipart form could not be read");
    }
    const file = [...form.values()].find((v): v is File => typeof v !== "string");
    if (!file) throw errors.invalidRequest("No content provided");
    bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length > limit) throw errors.entityTooLarge();
    fileType = file.type || "text/plain;charset=UTF-8";
    const cache = form.get("cacheControl");
    if (typeof cache === "string" && cache !== "") cacheControl = `max-age=${cache}`;
    const metadata = form.get("metadata");
    if (typeof metadata === "string") metadataText = metadata;
  } else {
    bytes = raw;
    fileType = contentType || "text/plain;charset=UTF-8";
    const encoded = header(req, "x-metadata");
    if (encoded !== undefined) metadataText = Buffer.from(encoded, "base64").toString("utf8");
  }
  // Both are sent back as response headers on download: printable ASCII only.
  if (!/^[\x20-\x7e]{0,255}$/.test(cacheControl)) throw errors.invalidRequest("Invalid cache-control header");
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(fileType)) throw errors.invalidRequest("Invalid content-type");
  return {
    bytes,
    contentType: fileType,
    cacheControl,
    userMetadata: metadataText === undefined ? null : decodeMetadata(metadataText),
    md5: createHash("md5").update(bytes).digest("hex"),
  };
}
