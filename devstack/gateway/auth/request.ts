import type { IncomingMessage } from "node:http";
import { HttpError, readBody } from "../http.ts";
import { containsNul, jsonTooDeep } from "../json.ts";
import { AuthError, badRequest } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

/**
 * Reads the body as a JSON object, as GoTrue's retrieveRequestParams does: too large → 413,
 * anything that is not a JSON object (an empty body included) → 400 `bad_json`, with Go's wording for a body
 * nested too deeply. A string holding U+0000 is refused with 400 `validation_failed`: GoTrue would pass it to
 * PostgreSQL, whose text and jsonb cannot store it, and answer 500.
 */
export async function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<JsonObject> {
  let body: Buffer;
  try {
    body = await readBody(req, limitBytes);
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) {
      throw new AuthError(413, "request_entity_too_large", `Request body too large (max ${limitBytes} bytes)`);
    }
    throw error;
  }
  const text = body.toString("utf8");
  if (jsonTooDeep(text)) throw badRequest("bad_json", "Could not parse request body as JSON: exceeded max depth");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = body.length === 0 ? "unexpected end of JSON input" : (error as Error).message;
    throw badRequest("bad_json", `Could not parse request body as JSON: ${reason}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("bad_json", "Could not parse request body as JSON: expected a JSON object");
  }
  if (containsNul(parsed)) {
    throw badRequest("validation_failed", "Request body cannot contain the NUL character (\\u0000)");
  }
  return parsed as JsonObject;
}

function typeError(field: string, expected: string): AuthError {
  return badRequest("bad_json", `Could not parse request body as JSON: field "${field}" must be ${expected}`);
}

/** A string field; absent or null reads as undefined, another type is a `bad_json` error. */
export function stringField(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw typeError(field, "a string");
  return value;
}

export function booleanField(body: JsonObject, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw typeError(field, "a boolean");
  return value;
}

export function objectField(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw typeError(field, "an object");
  return value as JsonObject;
}

/** The bearer token of the Authorization header, matched as GoTrue does (`(?i)^bearer (\S+$)`). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^bearer (\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}
