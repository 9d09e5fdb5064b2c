import type { IncomingMessage } from "node:http";
import { JwtError, verifyJwt, type JwtClaims } from "../jwt.ts";
import { badRequest, forbidden, unauthorized } from "./errors.ts";
import { bearerToken } from "./request.ts";
import { findSession, type SessionRow } from "./sessions-repo.ts";
import { findUserById, isBanned, type Db, type UserRow } from "./users-repo.ts";

/** Roles GoTrue treats as administrators (its default JWT admin roles). */
const adminRoles = ["service_role", "supabase_admin"];
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Caller {
  claims: JwtClaims;
  user: UserRow;
  session?: SessionRow;
}

// The wording of the Go JWT library GoTrue uses, so messages read the same.
const jwtReasons: Record<JwtError["reason"], string> = {
  malformed: "token is malformed: could not parse the token",
  bad_signature: "token signature is invalid: signature is invalid",
  expired: "token has invalid claims: token is expired",
  unsupported_alg: "token is unverifiable: error while executing keyfunc: unrecognized JWT algorithm",
  bad_claims: "token is malformed: could not JSON decode claim",
};

function verifiedClaims(req: IncomingMessage, secret: string): JwtClaims {
  const token = bearerToken(req);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a valid Bearer token");
  try {
    return verifyJwt(token, secret);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${jwtReasons[error.reason]}`);
  }
}

/** Loads the user (and session, when the token names one) behind verified claims, as GoTrue does. */
async function loadCaller(sql: Db, claims: JwtClaims): Promise<Caller> {
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  if (!sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!uuidPattern.test(sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(sql, sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const sessionId = typeof claims.session_id === "string" ? claims.session_id : "";
  let session: SessionRow | undefined;
  if (sessionId && sessionId !== "00000000-0000-0000-0000-000000000000") {
    if (!uuidPattern.test(sessionId)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    session = await findSession(sql, sessionId);
    if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  return { claims, user, session };
}

/** GoTrue's requireAuthentication: a valid user JWT whose user (and session) still exist. */
export async function requireUser(req: IncomingMessage, sql: Db, secret: string): Promise<Caller> {
  const caller = await loadCaller(sql, verifiedClaims(req, secret));
  if (isBanned(caller.user)) throw forbidden("user_banned", "User is banned");
  return caller;
}

/** GoTrue's requireAdminCredentials: a JWT whose role is an admin role (the service role key). */
export async function requireAdmin(req: IncomingMessage, sql: Db, secret: string): Promise<JwtClaims> {
  const claims = verifiedClaims(req, secret);
  if (typeof claims.session_id === "string" && claims.session_id) await loadCaller(sql, claims);
  if (!adminRoles.includes(String(claims.role ?? ""))) throw forbidden("not_admin", "User not allowed");
  return claims;
}
