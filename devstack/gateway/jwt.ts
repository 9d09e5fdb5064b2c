import { createHmac, timingSafeEqual } from "node:crypto";

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number };

export class JwtError extends Error {
  constructor(
    readonly reason: "malformed" | "bad_signature" | "expired" | "unsupported_alg" | "bad_claims",
    message: string,
  ) {
    super(message);
  }
}

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** Signs claims as an HS256 JWT, as GoTrue and `supabase start` do. */
export function signJwt(claims: JwtClaims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

/**
 * Verifies an HS256 JWT (signature, then `exp`) and returns its claims; anything else throws JwtError. An `exp`
 * that is present must be a number (RFC 7519's NumericDate): a string or an object would otherwise never expire.
 */
export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): JwtClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("malformed", "Expected 3 parts in JWT; got " + parts.length);
  const [head, body, sig] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new JwtError("malformed", "JWT cryptographic operation failed");
  }
  if (header.alg !== "HS256") throw new JwtError("unsupported_alg", "Wrong or unknown algorithm");
  const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError("bad_signature", "JWSError JWSInvalidSignature");
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new JwtError("malformed", "JWT claims are not an object");
  }
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || !Number.isFinite(claims.exp))) {
    throw new JwtError("bad_claims", 'The JWT "exp" claim must be a number');
  }
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) throw new JwtError("expired", "JWT expired");
  return claims;
}
