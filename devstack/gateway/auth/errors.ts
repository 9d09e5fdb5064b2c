import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http.ts";

const apiVersionHeader = "x-supabase-api-version";
/** The first API version whose errors are `{code, message}`; older clients get `{code, error_code, msg}`. */
const apiVersion20240101 = "2024-01-01";

/** A GoTrue API error: HTTP status, stable `error_code` and message. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    /** Extra top-level fields (GoTrue adds `weak_password: {reasons}` to weak password errors). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);

export function weakPassword(message: string, reasons: string[]): AuthError {
  return new AuthError(422, "weak_password", message, { weak_password: { reasons } });
}

/** True when the client asked for API version 2024-01-01 or later (supabase-js always does). */
function wantsVersionedErrors(req: IncomingMessage): boolean {
  const value = req.headers[apiVersionHeader];
  const date = Array.isArray(value) ? value[0] : value;
  return !!date && /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= apiVersion20240101;
}

/** Writes an error the way GoTrue's HandleResponseError does for the requested API version. */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError): void {
  if (wantsVersionedErrors(req)) {
    sendJson(
      res,
      error.status,
      { code: error.errorCode, message: error.message, ...error.extra },
      { [apiVersionHeader]: apiVersion20240101, "x-sb-error-code": error.errorCode },
    );
    return;
  }
  sendJson(
    res,
    error.status,
    { code: error.status, error_code: error.errorCode, msg: error.message, ...error.extra },
    { "x-sb-error-code": error.errorCode },
  );
}
