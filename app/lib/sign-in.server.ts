import { isAuthRetryableFetchError, type AuthError } from "@supabase/supabase-js";

export { signInSchema } from "./sign-in-form";

/** What the login page tells the user about a failed sign-in, and the HTTP status it answers with. */
export function signInErrorMessage(error: AuthError): { status: number; message: string } {
  if (isAuthRetryableFetchError(error)) {
    return { status: 503, message: "The sign-in service is unreachable. Please try again in a moment." };
  }
  // Older auth servers send no code, only this message.
  if (error.code === "invalid_credentials" || /invalid login credentials/i.test(error.message)) {
    return { status: 401, message: "Invalid email or password." };
  }
  if (error.code === "email_not_confirmed") {
    return { status: 403, message: "Your email address has not been confirmed yet." };
  }
  if (error.status === 429) {
    return { status: 429, message: "Too many sign-in attempts. Please wait a minute and try again." };
  }
  return { status: 500, message: "Sign-in failed. Please try again, and tell an admin if it keeps happening." };
}
