import { HttpError } from "../http.ts";

/** The JSON body PostgREST sends with every error. */
export interface PgrstErrorBody {
  code: string;
  message: string;
  details: unknown;
  hint: unknown;
}

export function pgrstError(
  status: number,
  code: string,
  message: string,
  details: unknown = null,
  hint: unknown = null,
  headers: Record<string, string> = {},
): HttpError {
  const body: PgrstErrorBody = { code, message, details, hint };
  return new HttpError(status, body, headers);
}

/** A malformed query parameter (select, filter, order, limit…): 400 PGRST100 in PostgREST's parser wording. */
export function queryParamError(what: string, input: string, column: number, details: string): HttpError {
  return pgrstError(400, "PGRST100", `"failed to parse ${what} (${input})" (line 1, column ${column})`, details);
}

export function invalidBody(message: string): HttpError {
  return pgrstError(400, "PGRST102", message);
}

export function columnNotFound(table: string, column: string): HttpError {
  return pgrstError(400, "PGRST204", `Could not find the '${column}' column of '${table}' in the schema cache`);
}

/** What PostgreSQL itself answers for an unknown column, which PostgREST passes through. */
export function undefinedColumn(qualifier: string, column: string): HttpError {
  return pgrstError(400, "42703", `column ${qualifier}.${column} does not exist`);
}

/** Fields of an error raised by PostgreSQL, as postgres.js exposes them. */
export interface PgServerError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function isPgServerError(error: unknown): error is PgServerError {
  return (
    error instanceof Error &&
    (error as { name?: string }).name === "PostgresError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/** Maps a PostgreSQL error to PostgREST's HTTP status and body (PostgREST's own SQLSTATE table). */
export function fromPgError(error: PgServerError, role: string, anonRole: string): HttpError {
  const authed = role !== anonRole;
  const details = error.detail ?? null;
  const hint = error.hint ?? null;
  if (error.code === "PGRST") return fromRaisedPgrst(error);
  const status = statusForSqlState(error.code, error.message, authed);
  const headers: Record<string, string> = status === 401 ? { "www-authenticate": "Bearer" } : {};
  return pgrstError(status, error.code, error.message, details, hint, headers);
}

function statusForSqlState(code: string, message: string, authed: boolean): number {
  const exact: Record<string, number> = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    "57P01": 503,
    P0001: 400,
    "42883": 404,
    "42P01": 404,
    "42P17": 500,
  };
  if (code === "42501") return authed ? 403 : 401;
  if (code === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (code === "22023") return message.startsWith("role") && message.endsWith("does not exist") ? 401 : 400;
  if (exact[code]) return exact[code];
  if (code.startsWith("PT")) {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  const byClass: Record<string, number> = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 500,
    "55": 500,
    "57": 500,
    "58": 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

/** `raise sqlstate 'PGRST' using message = '{json}', detail = '{json}'`: full control of the response. */
function fromRaisedPgrst(error: PgServerError): HttpError {
  let message: { code?: unknown; message?: unknown; details?: unknown; hint?: unknown };
  try {
    message = JSON.parse(error.message);
    if (typeof message !== "object" || message === null || message.code === undefined) throw new Error();
  } catch {
    return pgrstError(
      500,
      "PGRST121",
      `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      `Invalid JSON value for MESSAGE: '${error.message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    );
  }
  let detail: { status?: unknown; headers?: unknown };
  try {
    detail = JSON.parse(error.detail ?? "");
    if (typeof detail !== "object" || detail === null || typeof detail.status !== "number") throw new Error();
  } catch {
    return pgrstError(
      500,
      "PGRST121",
      `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      error.detail ? `Invalid JSON value for DETAIL: '${error.detail}'` : "DETAIL is missing in the RAISE statement",
      "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    );
  }
  const headers: Record<string, string> = {};
  if (detail.headers && typeof detail.headers === "object") {
    for (const [k, v] of Object.entries(detail.headers)) headers[k.toLowerCase()] = String(v);
  }
  return pgrstError(
    detail.status as number,
    String(message.code),
    String(message.message ?? ""),
    message.details ?? null,
    message.hint ?? null,
    headers,
  );
}

/** PostgREST suggests the closest known name when one is similar enough; edit-distance similarity stands in for its fuzzy set. */
export function closestName(wanted: string, candidates: Iterable<string>, minScore = 0.75): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = similarity(wanted, candidate);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore >= minScore ? best : undefined;
}

function similarity(a: string, b: string): number {
  const distance = levenshtein(a.toLowerCase(), b.toLowerCase());
  return 1 - distance / Math.max(a.length, b.length, 1);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
