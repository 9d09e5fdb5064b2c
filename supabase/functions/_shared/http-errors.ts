// Error responses of edge functions, shaped like PostgREST's ({ code, message, details, hint }) so the app
// handles both the same way. Database refusals keep their stable reason; PT4xx SQLSTATEs keep their status.
import type { PostgrestError } from "@supabase/supabase-js";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { alreadyTakenMessage } from "./constraint-messages.ts";
import { isConnectionLost } from "./transaction.ts";

/** A refusal with an HTTP status and a stable snake_case code. */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface DatabaseError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

function isDatabaseError(error: unknown): error is DatabaseError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string" && "severity" in error;
}

/** A coded refusal (SQLSTATE PTxyz) as HTTP xyz with its stable reason (the detail); null for other codes. */
function ptRefusal(code: string, detail: string | undefined, message: string, hint: string | undefined) {
  const pt = /^PT([1-5]\d\d)$/.exec(code);
  const extra = { details: detail ?? null, hint: hint ?? null };
  return pt ? new HttpError(Number(pt[1]) as ContentfulStatusCode, detail || code, message, extra) : null;
}

const unexpected = () => new HttpError(500, "database_error", "The database could not complete the request.");

/** The HTTP status and body for a database error, as PostgREST would answer. */
function fromDatabase(error: DatabaseError): HttpError {
  const coded = ptRefusal(error.code, error.detail, error.message, error.hint);
  if (coded) return coded;
  const extra = { details: error.detail ?? null, hint: error.hint ?? null };
  switch (error.code) {
    case "23505":
      return new HttpError(409, "already_exists", alreadyTakenMessage(error.detail), extra);
    case "23503":
      return new HttpError(409, "still_referenced", error.message, extra);
    case "23514":
    case "22P02":
      return new HttpError(400, "invalid_value", error.message, extra);
    default:
      return unexpected();
  }
}

/** A refusal the REST API gave a caller-scoped client: PTxyz becomes HTTP xyz with its stable reason. */
export function fromPostgrest(error: PostgrestError): HttpError {
  const coded = ptRefusal(error.code ?? "", error.details, error.message, error.hint);
  if (coded) return coded;
  if (error.code === "42501")
    return new HttpError(403, "forbidden", error.message, { details: error.details ?? null, hint: error.hint ?? null });
  return unexpected();
}

/** Turns any thrown error into a JSON response; a lost database is 503, unexpected errors are logged and 500. */
export function errorResponse(c: Context, error: unknown): Response {
  if (!(error instanceof HttpError) && isConnectionLost(error)) {
    // A restart or an outage of the database: nothing was done, and the same request can be sent again.
    console.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    c.header("Retry-After", "5");
    return c.json(
      { code: "database_unavailable", message: "The database cannot be reached right now; try again." },
      503,
    );
  }
  const http = error instanceof HttpError ? error : isDatabaseError(error) ? fromDatabase(error) : null;
  if (!http) {
    console.error(error);
    return c.json({ code: "internal_error", message: "Something went wrong." }, 500);
  }
  if (http.status >= 500) console.error(error);
  return c.json({ code: http.code, message: http.message, ...http.extra }, http.status);
}
