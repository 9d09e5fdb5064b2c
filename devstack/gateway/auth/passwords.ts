import { randomInt } from "node:crypto";
import { badRequest, weakPassword, type AuthError } from "./errors.ts";

/** bcrypt only looks at the first 72 bytes, so GoTrue refuses longer passwords. */
export const maxPasswordBytes = 72;

/**
 * GoTrue's password strength check: too long → 400 `validation_failed`; shorter than the configured
 * minimum → the weak password error (422 `weak_password`, reasons `["length"]`). Returns the error
 * instead of throwing so sign-in can report a weak password without refusing it.
 */
export function passwordStrengthError(password: string, minimumLength: number): AuthError | undefined {
  if (Buffer.byteLength(password, "utf8") > maxPasswordBytes) {
    return badRequest("validation_failed", `Password cannot be longer than ${maxPasswordBytes} characters`);
  }
  if (password.length < minimumLength) {
    return weakPassword(`Password should be at least ${minimumLength} characters.`, ["length"]);
  }
  return undefined;
}

export function assertStrongPassword(password: string, minimumLength: number): void {
  const error = passwordStrengthError(password, minimumLength);
  if (error) throw error;
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** The password an admin-created user gets when none is given: 64 random characters, as GoTrue does. */
export function randomPassword(length = 64): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
