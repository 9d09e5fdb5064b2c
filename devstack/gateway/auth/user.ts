import { sendJson } from "../http.ts";
import { recordAuditEntry } from "./audit.ts";
import type { AuthHandler } from "./deps.ts";
import { badRequest, forbidden, unprocessable } from "./errors.ts";
import { requireUser } from "./guard.ts";
import { assertStrongPassword } from "./passwords.ts";
import { objectField, readJsonObject, stringField } from "./request.ts";
import { endSessions, type LogoutScope } from "./sessions-repo.ts";
import { passwordMatches, updateUser, userJson } from "./users-repo.ts";

/** GET /user: the caller's user, for a token issued to the default audience. */
export const getUser: AuthHandler = async ({ req, res }, deps) => {
  const { claims, user } = await requireUser(req, deps.sql, deps.jwtSecret);
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (aud !== user.aud) throw badRequest("validation_failed", "Token audience doesn't match request audience");
  sendJson(res, 200, userJson(user));
};

/**
 * PUT /user: a new password (other sessions are signed out, as GoTrue does) and user_metadata merged
 * key by key. Email and phone changes need the mail and SMS flows, which the local stack leaves out.
 */
export const updateCurrentUser: AuthHandler = async ({ req, res }, deps) => {
  const { user, session } = await requireUser(req, deps.sql, deps.jwtSecret);
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const email = stringField(body, "email");
  const phone = stringField(body, "phone");
  const password = stringField(body, "password");
  const data = objectField(body, "data");
  if (password !== undefined) assertStrongPassword(password, deps.settings.minimumPasswordLength);
  if (objectField(body, "app_metadata")) {
    throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  }
  if ((email && email.toLowerCase() !== user.email) || (phone && phone !== user.phone)) {
    throw unprocessable(
      "validation_failed",
      "Changing the email address or phone number is not available on this stack",
    );
  }
  if (password && (await passwordMatches(deps.sql, user.id, password))) {
    throw unprocessable("same_password", "New password should be different from the old password.");
  }
  const updated = await deps.sql.begin(async (tx) => {
    const row = await updateUser(tx, user.id, { password: password || undefined, userMetadata: data });
    if (password) await endSessions(tx, user.id, session?.id, session ? "others" : "global");
    return row;
  });
  sendJson(res, 200, userJson(updated!));
};

const scopes: LogoutScope[] = ["global", "local", "others"];

/** POST /logout?scope=global|local|others (default global): deletes sessions and their refresh tokens. */
export const logout: AuthHandler = async ({ req, res, url }, deps) => {
  const requested = url.searchParams.get("scope") || "global";
  const { user, session } = await requireUser(req, deps.sql, deps.jwtSecret);
  if (!scopes.includes(requested as LogoutScope)) {
    throw badRequest("validation_failed", `Unsupported logout scope "${requested}"`);
  }
  await deps.sql.begin(async (tx) => {
    await recordAuditEntry(tx, req, user, "logout");
    await endSessions(tx, user.id, session?.id, requested as LogoutScope);
  });
  res.writeHead(204).end();
};
