import { AuthApiError, AuthRetryableFetchError } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { signInErrorMessage, signInSchema } from "./sign-in.server";

describe("signInSchema", () => {
  it("asks for both fields", () => {
    const result = signInSchema.safeParse({ email: " ", password: "" });
    expect(result.success).toBe(false);
    const errors = result.error?.flatten().fieldErrors;
    expect(errors?.email?.[0]).toBe("Enter your email address.");
    expect(errors?.password?.[0]).toBe("Enter your password.");
  });

  it("trims the email", () => {
    expect(signInSchema.parse({ email: " a@b.example ", password: "x" })).toEqual({
      email: "a@b.example",
      password: "x",
    });
  });
});

describe("signInErrorMessage", () => {
  it("reports wrong credentials without saying which one was wrong", () => {
    const error = new AuthApiError("Invalid login credentials", 400, "invalid_credentials");
    expect(signInErrorMessage(error)).toEqual({ status: 401, message: "Invalid email or password." });
  });

  it("reports an unreachable auth service", () => {
    expect(signInErrorMessage(new AuthRetryableFetchError("fetch failed", 0)).status).toBe(503);
    expect(signInErrorMessage(new AuthRetryableFetchError("Bad Gateway", 502)).message).toMatch(/unreachable/);
  });

  it("reports an unconfirmed email", () => {
    const error = new AuthApiError("Email not confirmed", 400, "email_not_confirmed");
    expect(signInErrorMessage(error).status).toBe(403);
  });
});
