import { sendJson } from "../http.ts";
import type { AuthHandler } from "./deps.ts";
import { badRequest, unprocessable } from "./errors.ts";
import { assertStrongPassword } from "./passwords.ts";
import { objectField, readJsonObject, stringField } from "./request.ts";
import { startSession } from "./sessions-repo.ts";
import { sessionResponse } from "./tokens.ts";
import { defaultAudience, defaultRole, emailTaken, findUserById, insertUser, userJson } from "./users-repo.ts";
import { validateEmail } from "./validation.ts";

const uniqueViolation = "23505";

/** POST /signup with email and password; signs the user in at once when confirmations are off. */
export const signup: AuthHandler = async ({ req, res }, deps) => {
  // GoTrue's order: the parameters, then the per-address limit, then whether sign-ups are allowed at all.
  const body = await readJsonObject(req, deps.maxBodyBytes);
  deps.limits.signInSignUps.check(req);
  if (!deps.settings.enableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  const password = stringField(body, "password") ?? "";
  const rawEmail = stringField(body, "email") ?? "";
  const phone = stringField(body, "phone") ?? "";
  const data = objectField(body, "data") ?? {};

  if (!password) throw badRequest("validation_failed", "Signup requires a valid password");
  assertStrongPassword(password, deps.settings.minimumPasswordLength);
  if (rawEmail && phone) {
    throw badRequest("validation_failed", "Only an email address or phone number should be provided on signup.");
  }
  if (phone) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  if (!rawEmail) throw badRequest("validation_failed", "Sign up only available with email provider");
  const email = validateEmail(rawEmail);

  // GoTrue answers 422 for an existing address when sign-ups are confirmed automatically.
  const userExists = unprocessable("user_already_exists", "User already registered");
  if (await emailTaken(deps.sql, email)) throw userExists;

  const confirmed = deps.settings.mailerAutoconfirm;
  try {
    const result = await deps.sql.begin(async (tx) => {
      const user = await insertUser(tx, {
        email,
        phone: null,
        password,
        role: defaultRole,
        aud: defaultAudience,
        appMetadata: { provider: "email", providers: ["email"] },
        userMetadata: data,
        emailConfirmed: confirmed,
        phoneConfirmed: false,
        bannedUntil: null,
      });
      if (!confirmed) return userJson(user);
      const { session, token } = await startSession(tx, user.id);
      const signedIn = await findUserById(tx, user.id);
      return sessionResponse(deps.tokens, signedIn!, session, token.token);
    });
    sendJson(res, 200, result);
  } catch (error) {
    if ((error as { code?: string }).code === uniqueViolation) throw userExists;
    throw error;
  }
};
