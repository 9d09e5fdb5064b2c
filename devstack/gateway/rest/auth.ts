import type { IncomingMessage } from "node:http";
import { JwtError, verifyJwt, type JwtClaims } from "../jwt.ts";
import { pgrstError } from "./errors.ts";

export const anonRole = "anon";

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
    throw invalidToken("PGRST301", error.message);
  }
  if (claims.role !== undefined && typeof claims.role !== "string") {
    throw invalidToken("PGRST303", "Parsing claims failed");
  }
  return { role: claims.role || anonRole, claims, claimsJson: JSON.stringify(claims) };
}
