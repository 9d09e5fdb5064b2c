import type { IncomingMessage } from "node:http";
import { JwtError, verifyJwt, type JwtClaims } from "../jwt.ts";
import { pgrstError } from "./errors.ts";

export const anonRole = "anon";

/** The roles a token may name: those Supabase grants to `authenticator`. */
export const apiRoles: ReadonlySet<string> = new Set([anonRole, "authenticated", "service_role"]);

/**
 * Refuses a token whose role is not an API role, with PostgreSQL's own answer to switching to it: PostgREST's
 * 401 `22023 role "…" does not exist` for an unknown role, 403 `42501` for a role `authenticator` was not granted.
 * `authenticator` itself and `none` (which means the session's own role), which PostgreSQL would accept, and any
 * role granted to `authenticator` later by mistake, get the same 42501 refusal.
 */
export async function refuseOtherRoles(
  auth: RequestAuth,
  trySwitch: (role: string) => Promise<unknown>,
): Promise<void> {
  if (apiRoles.has(auth.role)) return;
  await trySwitch(auth.role);
  throw pgrstError(403, "42501", `permission denied to set role ${JSON.stringify(auth.role)}`);
}

export interface RequestAuth {
  role: string;
  claims: JwtClaims;
  /** The claims as `request.jwt.claims` gets them. */
  claimsJson: string;
}

const anonAuth: RequestAuth = {
  role: anonRole,
  claims: { role: anonRole },
  claimsJson: JSON.stringify({ role: anonRole }),
};

/**
 * Tokens already verified, so the same key or session token is not checked again on every request; an entry
 * is used only until its token's `exp`.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { auth: RequestAuth; exp: number }>();

  constructor(
    private readonly secret: string,
    private readonly capacity = 1000,
  ) {}

  verify(token: string): RequestAuth {
    const now = Math.floor(Date.now() / 1000);
    const known = this.entries.get(token);
    if (known && known.exp > now) return known.auth;
    const auth = verifyToken(token, this.secret, now);
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(token, { auth, exp: typeof auth.claims.exp === "number" ? auth.claims.exp : Infinity });
    return auth;
  }
}

function invalidToken(code: string, message: string) {
  return pgrstError(401, code, message, null, null, {
    "www-authenticate": `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
  });
}

/**
 * The role and claims of a request: the Bearer token, or the API key when there is none (Supabase's gateway
 * forwards the apikey as the token). Bad tokens get PostgREST's 401 errors.
 */
export function authenticate(req: IncomingMessage, url: URL, tokens: VerifiedTokens): RequestAuth {
  const header = req.headers.authorization;
  let token: string | undefined;
  const bearer = header === undefined ? null : /^bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (bearer) {
    token = (bearer[1] ?? "").trim();
    if (token === "") throw invalidToken("PGRST301", "Empty JWT is sent in Authorization header");
  } else {
    const apikey = req.headers.apikey;
    token = (Array.isArray(apikey) ? apikey[0] : apikey) ?? url.searchParams.get("apikey") ?? undefined;
  }
  if (!token) return anonAuth;
  return tokens.verify(token);
}

function verifyToken(token: string, secret: string, now: number): RequestAuth {
  let claims: JwtClaims;
  try {
    claims = verifyJwt(token, secret, now);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (error.reason === "expired") throw invalidToken("PGRST303", "JWT expired");
    if (error.reason === "unsupported_alg") throw invalidToken("PGRST301", "Wrong or unsupported encoding algorithm");
    if (error.reason === "bad_claims") throw invalidToken("PGRST303", error.message);
    throw invalidToken("PGRST301", error.message);
  }
  if (claims.role !== undefined && typeof claims.role !== "string") {
    throw invalidToken("PGRST303", "Parsing claims failed");
  }
  return { role: claims.role || anonRole, claims, claimsJson: JSON.stringify(claims) };
}
