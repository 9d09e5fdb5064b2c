import type { IncomingMessage, ServerResponse } from "node:http";
import type { RateLimiter } from "./rate-limit.ts";
import type { SessionLimits } from "./session-limits.ts";
import type { AuthSettings } from "./settings.ts";
import type { TokenSettings } from "./tokens.ts";
import type { Db } from "./users-repo.ts";

/** What the /auth/v1 handlers share. */
export interface AuthDeps {
  sql: Db & { begin<T>(cb: (tx: Db) => Promise<T>): Promise<T> };
  settings: AuthSettings;
  /** `[auth.sessions]`: when a session ends, whatever its refreshes. */
  sessions: SessionLimits;
  tokens: TokenSettings;
  jwtSecret: string;
  maxBodyBytes: number;
  /** GoTrue's per-address limits from `[auth.rate_limit]`. */
  limits: { signInSignUps: RateLimiter; tokenRefresh: RateLimiter };
}

export interface AuthRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path parameters (`:id`). */
  params: Record<string, string>;
}

export type AuthHandler = (r: AuthRequest, deps: AuthDeps) => Promise<void>;
