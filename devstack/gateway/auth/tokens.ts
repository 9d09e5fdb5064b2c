import { signJwt, type JwtClaims } from "../jwt.ts";
import type { SessionRow } from "./sessions-repo.ts";
import { userJson, type UserRow } from "./users-repo.ts";

export interface TokenSettings {
  jwtSecret: string;
  jwtExpirySeconds: number;
  /** `<SUPABASE_URL>/auth/v1`, as `supabase start` configures GoTrue's issuer. */
  issuer: string;
}

/**
 * The access token claims GoTrue issues, in its order. Every session here comes from a password
 * grant, so `amr` is the password method stamped with the session's start.
 */
export function accessTokenClaims(s: TokenSettings, user: UserRow, session: SessionRow, nowSeconds: number): JwtClaims {
  return {
    iss: s.issuer,
    sub: user.id,
    aud: user.aud ?? "",
    exp: nowSeconds + s.jwtExpirySeconds,
    iat: nowSeconds,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? "",
    aal: "aal1",
    amr: [{ method: "password", timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
}

/** GoTrue's AccessTokenResponse. */
export function sessionResponse(
  s: TokenSettings,
  user: UserRow,
  session: SessionRow,
  refreshToken: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims = accessTokenClaims(s, user, session, now);
  return {
    access_token: signJwt(claims, s.jwtSecret),
    token_type: "bearer",
    expires_in: s.jwtExpirySeconds,
    expires_at: claims.exp,
    refresh_token: refreshToken,
    user: userJson(user),
    ...extra,
  };
}
