import { createHash, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";
import { sendJson } from "../http.ts";
import type { AuthDeps, AuthHandler } from "./deps.ts";
import { AuthError, badRequest, forbidden, notFound, unprocessable } from "./errors.ts";
import { requireAdmin, requireUser } from "./guard.ts";
import { assertStrongPassword, randomPassword } from "./passwords.ts";
import { objectField, readJsonObject, stringField, type JsonObject } from "./request.ts";
import { startSession } from "./sessions-repo.ts";
import { sessionResponse } from "./tokens.ts";
import {
  defaultAudience,
  defaultRole,
  findUserByEmail,
  findUserById,
  insertUser,
  userJson,
  type Db,
  type UserRow,
} from "./users-repo.ts";
import { readTomlScalars } from "./settings.ts";
import { validateEmail } from "./validation.ts";

/**
 * GoTrue's email flows without a mailer: /recover, /otp, /magiclink, /resend and /invite store the token GoTrue
 * would mail and write the message (with its link) to the gateway's log, as `supabase start` catches mail in
 * its local inbox; /verify and admin generate_link work as GoTrue's do.
 */

/** GoTrue's default `mailer_otp_exp` (config.toml `[auth.email] otp_expiry`). */
const otpExpirySeconds = 3600;

/** `[auth] site_url`: where links lead without a `redirect_to` (GoTrue's SITE_URL). */
const siteUrl = (() => {
  const auth = readTomlScalars(readFileSync(path.join(repoRoot, "supabase", "config.toml"), "utf8")).get("auth");
  return typeof auth?.site_url === "string" ? auth.site_url : "http://localhost:3000";
})();

type TokenColumn = "confirmation_token" | "recovery_token";

/** GoTrue's GenerateTokenHash: hex SHA-224 of the address and the one-time code. */
function tokenHash(email: string, otp: string): string {
  return createHash("sha224")
    .update(email + otp)
    .digest("hex");
}

function newOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

interface IssuedToken {
  otp: string;
  hashed: string;
}

/** Stores a fresh one-time token for the user in the column GoTrue keeps it in, stamping when it was sent. */
async function issueToken(sql: Db, user: UserRow, column: TokenColumn): Promise<IssuedToken> {
  const otp = newOtp();
  const hashed = tokenHash(user.email ?? "", otp);
  if (column === "confirmation_token") {
    await sql`update auth.users set confirmation_token = ${hashed}, confirmation_sent_at = now() where id = ${user.id}`;
  } else {
    await sql`update auth.users set recovery_token = ${hashed}, recovery_sent_at = now() where id = ${user.id}`;
  }
  return { otp, hashed };
}

function verifyLink(deps: AuthDeps, hashed: string, type: string, redirectTo: string): string {
  const query = new URLSearchParams({ token: hashed, type, redirect_to: redirectTo });
  return `${deps.tokens.issuer}/verify?${query}`;
}

/** Where the mail would have gone: the local inbox of `supabase start` is the gateway's log here. */
function logMail(email: string, subject: string, otp: string, link: string): void {
  console.log(`auth: mail to ${email}: ${subject}: code ${otp}, link ${link}`);
}

function redirectTarget(body: JsonObject): string {
  return stringField(body, "redirect_to") ?? siteUrl;
}

/** A new unconfirmed email user, as /otp, /invite and generate_link create one. */
async function createEmailUser(sql: Db, email: string, data: JsonObject, password?: string): Promise<UserRow> {
  return insertUser(sql, {
    email,
    phone: null,
    password: password ?? randomPassword(),
    role: defaultRole,
    aud: defaultAudience,
    appMetadata: { provider: "email", providers: ["email"] },
    userMetadata: data,
    emailConfirmed: false,
    phoneConfirmed: false,
    bannedUntil: null,
  });
}

/** POST /recover {email}: a recovery mail; 200 {} whether or not the address is known, as GoTrue answers. */
export const recover: AuthHandler = async ({ req, res }, deps) => {
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const raw = stringField(body, "email");
  if (!raw) throw unprocessable("validation_failed", "Password recovery requires an email");
  const email = validateEmail(raw);
  const user = await findUserByEmail(deps.sql, email);
  if (user) {
    const token = await issueToken(deps.sql, user, "recovery_token");
    logMail(email, "Reset Your Password", token.otp, verifyLink(deps, token.hashed, "recovery", redirectTarget(body)));
  }
  sendJson(res, 200, {});
};

/** POST /otp {email, create_user?, data?} (and the older /magiclink {email}): a sign-in code and magic link. */
export const otp: AuthHandler = async ({ req, res }, deps) => {
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const rawEmail = stringField(body, "email");
  const phone = stringField(body, "phone");
  if (rawEmail && phone) {
    throw badRequest("validation_failed", "Only an email address or phone number should be provided");
  }
  if (phone) throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  if (!rawEmail) throw unprocessable("validation_failed", "An email address is required");
  const email = validateEmail(rawEmail);
  const createUser = body.create_user === undefined ? true : body.create_user === true;
  let user = await findUserByEmail(deps.sql, email);
  if (!user) {
    if (!createUser || !deps.settings.enableSignup) throw unprocessable("otp_disabled", "Signups not allowed for otp");
    user = await createEmailUser(deps.sql, email, objectField(body, "data") ?? {});
  }
  // A confirmed user signs in with a magic link; an unconfirmed one confirms the sign-up with it.
  const confirmed = !!user.email_confirmed_at;
  const column: TokenColumn = confirmed ? "recovery_token" : "confirmation_token";
  const type = confirmed ? "magiclink" : "signup";
  const token = await issueToken(deps.sql, user, column);
  logMail(
    email,
    confirmed ? "Your Magic Link" : "Confirm Your Signup",
    token.otp,
    verifyLink(deps, token.hashed, type, redirectTarget(body)),
  );
  sendJson(res, 200, {});
};

const resendTypes = ["signup", "email_change", "sms", "phone_change"];

/** POST /resend {type, email}: the sign-up confirmation again (email change and phone flows are not served). */
export const resend: AuthHandler = async ({ req, res }, deps) => {
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const type = stringField(body, "type") ?? "";
  if (!resendTypes.includes(type)) {
    throw badRequest("validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
  }
  if (type === "sms" || type === "phone_change")
    throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  const email = validateEmail(stringField(body, "email"));
  const user = await findUserByEmail(deps.sql, email);
  if (type === "signup" && user && !user.email_confirmed_at) {
    const token = await issueToken(deps.sql, user, "confirmation_token");
    logMail(email, "Confirm Your Signup", token.otp, verifyLink(deps, token.hashed, "signup", redirectTarget(body)));
  }
  sendJson(res, 200, {});
};

/** POST /invite {email, data} with the service role key: an invited, unconfirmed user and an invite mail. */
export const invite: AuthHandler = async ({ req, res }, deps) => {
  await requireAdmin(req, deps.sql, deps.jwtSecret);
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const email = validateEmail(stringField(body, "email"));
  const { user, token } = await inviteUser(deps, email, objectField(body, "data") ?? {});
  logMail(email, "You have been invited", token.otp, verifyLink(deps, token.hashed, "invite", redirectTarget(body)));
  sendJson(res, 200, userJson(user));
};

async function inviteUser(deps: AuthDeps, email: string, data: JsonObject) {
  return deps.sql.begin(async (tx) => {
    let user = await findUserByEmail(tx, email);
    if (user?.email_confirmed_at) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    user ??= await createEmailUser(tx, email, data);
    await tx`update auth.users set invited_at = now() where id = ${user.id}`;
    const token = await issueToken(tx, user, "confirmation_token");
    return { user: (await findUserById(tx, user.id))!, token };
  });
}

const linkTypes = ["signup", "invite", "magiclink", "recovery", "email_change_current", "email_change_new"];

/** POST /admin/generate_link {type, email, password?, data?, redirect_to?}: the link GoTrue would mail, returned. */
export const generateLink: AuthHandler = async ({ req, res }, deps) => {
  await requireAdmin(req, deps.sql, deps.jwtSecret);
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const type = stringField(body, "type") ?? "";
  if (!linkTypes.includes(type)) throw badRequest("validation_failed", "Invalid email action link type requested");
  if (type.startsWith("email_change")) {
    throw badRequest("validation_failed", "Email change links are not served by the local stack");
  }
  const email = validateEmail(stringField(body, "email"));
  const data = objectField(body, "data") ?? {};
  let user: UserRow;
  let token: IssuedToken;
  if (type === "invite") {
    ({ user, token } = await inviteUser(deps, email, data));
  } else if (type === "signup") {
    const password = stringField(body, "password");
    if (!password) throw unprocessable("validation_failed", "Signup requires a valid password");
    assertStrongPassword(password, deps.settings.minimumPasswordLength);
    const existing = await findUserByEmail(deps.sql, email);
    if (existing?.email_confirmed_at) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    user = existing ?? (await createEmailUser(deps.sql, email, data, password));
    token = await issueToken(deps.sql, user, "confirmation_token");
  } else {
    const existing = await findUserByEmail(deps.sql, email);
    if (!existing) throw notFound("user_not_found", "User with this email not found");
    user = existing;
    token = await issueToken(deps.sql, user, "recovery_token");
  }
  const redirectTo = redirectTarget(body);
  const refreshed = (await findUserById(deps.sql, user.id))!;
  sendJson(res, 200, {
    ...userJson(refreshed),
    action_link: verifyLink(deps, token.hashed, type, redirectTo),
    email_otp: token.otp,
    hashed_token: token.hashed,
    verification_type: type,
    redirect_to: redirectTo,
  });
};

const verifyTypes = ["signup", "invite", "magiclink", "recovery", "email", "email_change", "sms", "phone_change"];

function otpExpired(): AuthError {
  return forbidden("otp_expired", "Token has expired or is invalid");
}

/** The user holding this token in the columns a verification of `type` reads, if it has not expired. */
async function userForToken(sql: Db, type: string, hashed: string): Promise<UserRow | undefined> {
  const confirmation = type === "signup" || type === "invite" || type === "email" || type === "magiclink";
  const recovery = type === "recovery" || type === "magiclink" || type === "email";
  const [row] = await sql<{ id: string }[]>`
    select id from auth.users
    where (${confirmation} and confirmation_token = ${hashed}
            and confirmation_sent_at > now() - make_interval(secs => ${otpExpirySeconds}))
       or (${recovery} and recovery_token = ${hashed}
            and recovery_sent_at > now() - make_interval(secs => ${otpExpirySeconds}))
    limit 1`;
  return row ? findUserById(sql, row.id) : undefined;
}

/** Uses the token up, confirms the address and opens a session, as GoTrue's verify does. */
async function consume(deps: AuthDeps, type: string, hashed: string) {
  return deps.sql.begin(async (tx) => {
    const user = await userForToken(tx, type, hashed);
    if (!user) throw otpExpired();
    await tx`
      update auth.users set
        confirmation_token = case when confirmation_token = ${hashed} then '' else confirmation_token end,
        recovery_token = case when recovery_token = ${hashed} then '' else recovery_token end,
        email_confirmed_at = coalesce(email_confirmed_at, now()),
        last_sign_in_at = now(), updated_at = now()
      where id = ${user.id}`;
    const { session, token } = await startSession(tx, user.id);
    const signedIn = (await findUserById(tx, user.id))!;
    return sessionResponse(deps.tokens, signedIn, session, token.token);
  });
}

/** POST /verify {type, token_hash} or {type, email, token}: the session the mailed link or code opens. */
export const verifyPost: AuthHandler = async ({ req, res }, deps) => {
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const type = stringField(body, "type") ?? "";
  if (!type) throw badRequest("validation_failed", "Verify requires a verification type");
  if (!verifyTypes.includes(type)) throw badRequest("validation_failed", "Verify requires a verification type");
  if (type === "sms" || type === "phone_change")
    throw badRequest("phone_provider_disabled", "Unsupported phone provider");
  const tokenHashParam = stringField(body, "token_hash");
  const token = stringField(body, "token");
  let hashed: string;
  if (tokenHashParam) hashed = tokenHashParam;
  else if (token) {
    const email = stringField(body, "email");
    if (!email)
      throw unprocessable("validation_failed", "Only an email address or phone number should be provided on verify");
    hashed = tokenHash(validateEmail(email), token);
  } else {
    throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  }
  sendJson(res, 200, await consume(deps, type, hashed));
};

/** GET /verify?token&type&redirect_to: the link of the mail; redirects with the session (or the error) in the fragment. */
export const verifyGet: AuthHandler = async ({ res, url }, deps) => {
  const type = url.searchParams.get("type") ?? "";
  const token = url.searchParams.get("token") ?? "";
  const redirectTo = url.searchParams.get("redirect_to") || siteUrl;
  let fragment: URLSearchParams;
  try {
    if (!verifyTypes.includes(type) || !token) throw otpExpired();
    const session = (await consume(deps, type, token)) as Record<string, unknown>;
    fragment = new URLSearchParams({
      access_token: String(session.access_token),
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: String(session.refresh_token),
      token_type: "bearer",
      type,
    });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    fragment = new URLSearchParams({
      error: "access_denied",
      error_code: error.errorCode,
      error_description: error.message,
    });
  }
  res.writeHead(303, { location: `${redirectTo}#${fragment}` }).end();
};

/** GET /reauthenticate: a nonce for the signed-in user, mailed by GoTrue (logged here); 200 {}. */
export const reauthenticate: AuthHandler = async ({ req, res }, deps) => {
  const { user } = await requireUser(req, deps.sql, deps.jwtSecret);
  if (!user.email) throw badRequest("validation_failed", "Reauthentication requires the user to have an email");
  const nonce = newOtp();
  await deps.sql`
    update auth.users set reauthentication_token = ${tokenHash(user.email, nonce)}
    where id = ${user.id}`;
  logMail(user.email, "Confirm reauthentication", nonce, "(no link)");
  sendJson(res, 200, {});
};
