import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";
import { badRequest } from "./errors.ts";
import { readTomlScalars } from "./settings.ts";
import type { Db } from "./users-repo.ts";
import { goDurationMs } from "./validation.ts";

/**
 * GoTrue's session limits (`[auth.sessions]` of supabase/config.toml; GOTRUE_SESSIONS_TIMEBOX and
 * GOTRUE_SESSIONS_INACTIVITY_TIMEOUT in its environment). 0 means no limit, GoTrue's default.
 */
export interface SessionLimits {
  /** Absolute lifetime of a session, from its sign-in. */
  timeboxSeconds: number;
  /** Longest time between two refreshes of a session. */
  inactivityTimeoutSeconds: number;
}

function durationSetting(name: string, envValue: string | undefined, configValue: unknown): number {
  const raw = envValue ?? (configValue === undefined ? "0" : String(configValue));
  const ms = goDurationMs(raw.trim());
  if (ms === undefined || ms < 0) throw new Error(`${name} = "${raw}" is not a duration such as "30m" or "12h"`);
  return ms / 1000;
}

/** The session limits as `supabase start` gives them to GoTrue; the GOTRUE_SESSIONS_* variables win. */
export function loadSessionLimits(
  configPath = path.join(repoRoot, "supabase", "config.toml"),
  env: NodeJS.ProcessEnv = process.env,
): SessionLimits {
  const sessions = readTomlScalars(readFileSync(configPath, "utf8")).get("auth.sessions") ?? {};
  return {
    timeboxSeconds: durationSetting("[auth.sessions] timebox", env.GOTRUE_SESSIONS_TIMEBOX, sessions.timebox),
    inactivityTimeoutSeconds: durationSetting(
      "[auth.sessions] inactivity_timeout",
      env.GOTRUE_SESSIONS_INACTIVITY_TIMEOUT,
      sessions.inactivity_timeout,
    ),
  };
}

/**
 * `[auth] jwt_expiry` (GoTrue's default 3600 s when absent): how long an access token stays valid, and so
 * how late, at most, the end of a session takes effect outside the auth server.
 */
export function loadJwtExpirySeconds(configPath = path.join(repoRoot, "supabase", "config.toml")): number {
  const value = readTomlScalars(readFileSync(configPath, "utf8")).get("auth")?.jwt_expiry;
  return typeof value === "number" && value > 0 ? value : 3600;
}

export type SessionValidity = "valid" | "past_not_after" | "past_timebox" | "timed_out";

export interface SessionTimes {
  created_at: Date;
  not_after: Date | null;
  refreshed_at: Date | null;
}

/**
 * GoTrue's Session.CheckValidity: past `not_after`, past the timebox (from `created_at`), or idle for
 * longer than the inactivity timeout since the last refresh (the session's `refreshed_at`, else the
 * refresh token's `updated_at` when later than the session's start, else the start).
 */
export function sessionValidity(
  session: SessionTimes,
  tokenUpdatedAt: Date | null,
  limits: SessionLimits,
  now = new Date(),
): SessionValidity {
  if (session.not_after && now > session.not_after) return "past_not_after";
  const created = session.created_at.getTime();
  if (limits.timeboxSeconds && now.getTime() > created + limits.timeboxSeconds * 1000) return "past_timebox";
  let lastRefreshed = session.refreshed_at?.getTime() ?? created;
  if (!session.refreshed_at && tokenUpdatedAt && tokenUpdatedAt.getTime() > created) {
    lastRefreshed = tokenUpdatedAt.getTime();
  }
  if (limits.inactivityTimeoutSeconds && now.getTime() > lastRefreshed + limits.inactivityTimeoutSeconds * 1000) {
    return "timed_out";
  }
  return "valid";
}

/** The refusal GoTrue's refresh token grant answers for a session that is no longer valid. */
export function sessionExpiredError(validity: Exclude<SessionValidity, "valid">) {
  return validity === "timed_out"
    ? badRequest("session_expired", "Invalid Refresh Token: Session Expired (Inactivity)")
    : badRequest("session_expired", "Invalid Refresh Token: Session Expired");
}

export async function sessionTimes(sql: Db, sessionId: string): Promise<SessionTimes | undefined> {
  // refreshed_at is a UTC timestamp without time zone, as GoTrue writes it.
  const [row] = await sql<SessionTimes[]>`
    select created_at, not_after, refreshed_at at time zone 'utc' as refreshed_at
    from auth.sessions where id = ${sessionId}`;
  return row;
}

/** What GoTrue's refresh records on the session: when, from which browser and address. */
export async function recordRefresh(sql: Db, sessionId: string, userAgent: string, ip: string): Promise<void> {
  await sql`update auth.sessions
            set refreshed_at = now() at time zone 'utc', user_agent = ${userAgent || null}, ip = ${ip || null}::inet
            where id = ${sessionId}`;
}

/**
 * Ends a session that outlived its limits: it and its refresh tokens are deleted, so neither a later
 * refresh nor its access tokens at /user get anything. (GoTrue's cleanup removes such sessions later.)
 */
export async function revokeExpiredSession(sql: Db, sessionId: string): Promise<void> {
  await sql`delete from auth.sessions where id = ${sessionId}`;
}

/**
 * Refuses a refresh of a session past its limits, as GoTrue does, and revokes the session so that it
 * stays ended. `tokenUpdatedAt` is the presented refresh token's last change.
 */
export async function assertSessionWithinLimits(
  sql: Db,
  sessionId: string,
  tokenUpdatedAt: Date,
  limits: SessionLimits,
): Promise<void> {
  const times = await sessionTimes(sql, sessionId);
  if (!times) return;
  const validity = sessionValidity(times, tokenUpdatedAt, limits);
  if (validity === "valid") return;
  await revokeExpiredSession(sql, sessionId);
  throw sessionExpiredError(validity);
}
