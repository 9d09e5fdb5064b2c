import type { IncomingMessage } from "node:http";
import { sendJson } from "../http.ts";
import { clientAddress, recordAuditEntry, userAgent } from "./audit.ts";
import type { AuthDeps, AuthHandler } from "./deps.ts";
import { badRequest, unprocessable } from "./errors.ts";
import { passwordStrengthError } from "./passwords.ts";
import { readJsonObject, stringField, type JsonObject } from "./request.ts";
import {
  activeRefreshToken,
  deleteRefreshToken,
  findRefreshToken,
  findSession,
  refreshTokenFormat,
  revokeTokenFamily,
  startSession,
  swapRefreshToken,
  touchSession,
} from "./sessions-repo.ts";
import { assertSessionWithinLimits, recordRefresh } from "./session-limits.ts";
import { sessionResponse } from "./tokens.ts";
import { findUserByEmail, findUserById, isBanned, passwordMatches, passwordMatchesNothing } from "./users-repo.ts";

const invalidLogin = () => badRequest("invalid_credentials", "Invalid login credentials");

/** POST /token?grant_type=password|refresh_token. */
export const token: AuthHandler = async ({ req, res, url }, deps) => {
  const grantType = url.searchParams.get("grant_type");
  if (grantType !== "password" && grantType !== "refresh_token") {
    throw badRequest("invalid_credentials", "unsupported_grant_type");
  }
  // GoTrue counts every request of a grant type, well formed or not, before reading its body.
  (grantType === "password" ? deps.limits.signInSignUps : deps.limits.tokenRefresh).check(req);
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const result =
    grantType === "password" ? await passwordGrant(req, body, deps) : await refreshTokenGrant(req, body, deps);
  sendJson(res, 200, result);
};

/** GoTrue's ResourceOwnerPasswordGrant, for email and password. */
async function passwordGrant(req: IncomingMessage, body: JsonObject, deps: AuthDeps) {
  const email = stringField(body, "email") ?? "";
  const phone = stringField(body, "phone") ?? "";
  const password = stringField(body, "password") ?? "";
  if (email && phone) {
    throw badRequest("validation_failed", "Only an email address or phone number should be provided on login.");
  }
  if (phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  if (!email) throw badRequest("validation_failed", "missing email or phone");

  const user = await findUserByEmail(deps.sql, email);
  if (!user || !user.has_password) {
    // The same bcrypt work as for a known address, so the answer's timing does not tell which addresses exist.
    await passwordMatchesNothing(deps.sql, password);
    throw invalidLogin();
  }
  if (isBanned(user)) throw badRequest("user_banned", "User is banned");
  if (!(await passwordMatches(deps.sql, user.id, password))) throw invalidLogin();
  if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");

  // A correct but weak password still signs in; GoTrue reports the weakness alongside the session.
  const weakness = passwordStrengthError(password, deps.settings.minimumPasswordLength);
  return deps.sql.begin(async (tx) => {
    const { session, token } = await startSession(tx, user.id);
    await recordAuditEntry(tx, req, user, "login", { provider: "email" });
    const signedIn = await findUserById(tx, user.id);
    const extra = weakness?.errorCode === "weak_password" ? { weak_password: weakness.extra.weak_password } : {};
    return sessionResponse(deps.tokens, signedIn!, session, token.token, extra);
  });
}

/**
 * GoTrue's refresh token grant with rotation: the token is swapped for a child. A revoked token that is
 * the parent of the session's live token gets that live token back (the client lost the last answer);
 * another revoked token is swapped again within the reuse interval, and after it the whole family is
 * revoked and the request refused.
 */
async function refreshTokenGrant(req: IncomingMessage, body: JsonObject, deps: AuthDeps) {
  const refreshToken = stringField(body, "refresh_token") ?? "";
  if (!refreshTokenFormat.test(refreshToken)) throw badRequest("validation_failed", "Refresh token is not valid");

  const found = await findRefreshToken(deps.sql, refreshToken);
  if (!found) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  const owner = await findUserById(deps.sql, found.user_id);
  if (!owner) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  if (isBanned(owner)) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");
  const session = found.session_id ? await findSession(deps.sql, found.session_id) : undefined;
  if (!session) {
    await deleteRefreshToken(deps.sql, found.id);
    throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
  }
  await assertSessionWithinLimits(deps.sql, session.id, found.updated_at, deps.sessions);

  const outcome = await deps.sql.begin(async (tx) => {
    const current = await findRefreshToken(tx, refreshToken, true);
    const locked = current?.session_id ? await findSession(tx, current.session_id, true) : undefined;
    if (!current || !locked) return { error: "not_found" as const };

    let issued: string | undefined;
    if (current.revoked) {
      const active = await activeRefreshToken(tx, locked.id);
      if (active && active.parent === current.token) {
        issued = active.token;
      } else {
        const reuseUntil = current.updated_at.getTime() + deps.settings.refreshTokenReuseIntervalSeconds * 1000;
        if (Date.now() > reuseUntil) {
          // The family is revoked and that must stick, so this transaction commits before the refusal.
          if (deps.settings.refreshTokenRotation) await revokeTokenFamily(tx, locked.id);
          return { error: "already_used" as const };
        }
      }
    }
    const user = await findUserById(tx, current.user_id);
    await recordAuditEntry(tx, req, user!, "token_refreshed");
    if (!issued) {
      issued = (await swapRefreshToken(tx, current)).token;
      await recordAuditEntry(tx, req, user!, "token_revoked");
    }
    await touchSession(tx, locked.id);
    await recordRefresh(tx, locked.id, userAgent(req), clientAddress(req));
    return { response: sessionResponse(deps.tokens, user!, locked, issued) };
  });
  if (outcome.error === "already_used") {
    throw badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
  }
  if (outcome.error === "not_found") {
    throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  }
  return outcome.response;
}
