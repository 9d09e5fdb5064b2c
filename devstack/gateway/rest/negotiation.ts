import type { IncomingMessage } from "node:http";
import { pgrstError } from "./errors.ts";

/** The `Prefer` header, as key → value (`return=representation, count=exact`). */
export function parsePrefer(req: IncomingMessage): Map<string, string> {
  const prefs = new Map<string, string>();
  const raw = req.headers.prefer;
  for (const header of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    for (const part of header.split(",")) {
      const [key, value = ""] = part.trim().split("=", 2) as [string, string?];
      if (key) prefs.set(key.trim(), value.trim());
    }
  }
  return prefs;
}

/** What the `Accept` header asks for: one object or an array, and whether null-valued keys are stripped. */
export interface ResponseMedia {
  singular: boolean;
  /** `nulls=stripped` (supabase-js `.stripNulls()`): keys whose value is null are left out, as json_strip_nulls does. */
  stripNulls: boolean;
  /** `text/csv` (supabase-js `.csv()`): the rows as CSV, as PostgREST prints them. */
  csv?: boolean;
  /** The Content-Type of the answer. */
  contentType: string;
}

const media = (singular: boolean, stripNulls: boolean): ResponseMedia => ({
  singular,
  stripNulls,
  contentType: stripNulls
    ? `application/vnd.pgrst.${singular ? "object" : "array"}+json;nulls=stripped; charset=utf-8`
    : singular
      ? "application/vnd.pgrst.object+json; charset=utf-8"
      : "application/json; charset=utf-8",
});

/** Picks the first acceptable media type of `Accept`, as PostgREST 12 does, or answers 406 PGRST107. */
export function negotiateMedia(req: IncomingMessage): ResponseMedia {
  const accept = req.headers.accept;
  if (!accept) return media(false, false);
  for (const part of accept.split(",")) {
    const [rawType, ...rawParams] = part.split(";");
    const type = rawType!.trim().toLowerCase();
    const stripped = rawParams.some((p) => p.replace(/\s/g, "").toLowerCase() === "nulls=stripped");
    if (type === "application/vnd.pgrst.object+json" || type === "application/vnd.pgrst.object") {
      return media(true, stripped);
    }
    if (type === "application/vnd.pgrst.array+json" || type === "application/vnd.pgrst.array") {
      return media(false, stripped);
    }
    if (type === "application/json" || type === "*/*" || type === "application/*") return media(false, false);
    if (type === "text/csv")
      return { singular: false, stripNulls: false, csv: true, contentType: "text/csv; charset=utf-8" };
  }
  throw pgrstError(
    406,
    "PGRST107",
    `None of these media types are available: ${accept
      .split(",")
      .map((p) => p.trim())
      .join(", ")}`,
  );
}

/** Whether the client asked for one object (`application/vnd.pgrst.object+json`) instead of an array. */
export function wantsSingular(req: IncomingMessage): boolean {
  return negotiateMedia(req).singular;
}

/** Leaves out every object key whose value is null, at any depth (PostgreSQL's json_strip_nulls). */
export function stripNulls(body: string): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return value;
  };
  return JSON.stringify(strip(JSON.parse(body)));
}

/** The schema a request is for, and whether the client chose it by a profile header. */
export interface Profile {
  schema: string;
  negotiated: boolean;
}

/**
 * PostgREST's schema negotiation: `Accept-Profile` for GET and HEAD, `Content-Profile` for POST, PATCH, PUT and
 * DELETE (the other header is not read); the first exposed schema by default; 406 PGRST106 for another schema.
 */
export function negotiateProfile(req: IncomingMessage, schemas: readonly string[]): Profile {
  const method = req.method ?? "GET";
  const header = ["POST", "PATCH", "PUT", "DELETE"].includes(method) ? "content-profile" : "accept-profile";
  const value = req.headers[header];
  const requested = Array.isArray(value) ? value[0] : value;
  if (requested === undefined) return { schema: schemas[0]!, negotiated: schemas.length !== 1 };
  if (!schemas.includes(requested)) {
    throw pgrstError(
      406,
      "PGRST106",
      `Invalid schema: ${requested}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(", ")}`,
    );
  }
  return { schema: requested, negotiated: true };
}

export interface RowRange {
  offset: number;
  limit?: number;
}

/** The `Range` header (`0-9`, `10-`) intersected with `limit`/`offset`. */
export function topLevelRange(req: IncomingMessage, limit?: number, offset?: number): RowRange {
  let lower = offset ?? 0;
  let upper = limit !== undefined ? lower + limit - 1 : Infinity;
  const header = req.headers.range;
  const unit = req.headers["range-unit"];
  if (header && (unit === undefined || unit === "items")) {
    const m = /^(?:items=)?(\d+)-(\d*)$/.exec(header.trim());
    if (m) {
      const from = Number(m[1]);
      const to = m[2] ? Number(m[2]) : Infinity;
      if (to < from) {
        throw pgrstError(
          416,
          "PGRST103",
          "Requested range not satisfiable",
          "The lower boundary must be lower than or equal to the upper boundary in the Range header.",
        );
      }
      lower = Math.max(lower, from);
      upper = Math.min(upper, to);
    }
  }
  return { offset: lower, limit: upper === Infinity ? undefined : Math.max(0, upper - lower + 1) };
}

/** PostgREST's Content-Range and status for a read of `pageTotal` rows starting at `lower`. */
export function rangeResult(
  lower: number,
  pageTotal: number,
  total: number | null,
): { status: number; contentRange: string } {
  const upper = lower + pageTotal - 1;
  const shown = total === null ? "*" : String(total);
  const contentRange = pageTotal === 0 ? `*/${shown}` : `${lower}-${upper}/${shown}`;
  if (total === null) return { status: 200, contentRange };
  if (lower > total) {
    throw pgrstError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `An offset of ${lower} was requested, but there are only ${total} rows.`,
      null,
      { "content-range": `*/${total}` },
    );
  }
  return { status: pageTotal < total ? 206 : 200, contentRange };
}
