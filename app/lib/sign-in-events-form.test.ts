import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { signInEventsFilter } from "./sign-in-events-form";
import { signInSchema } from "./sign-in-form";

describe("the account pages' form schemas", () => {
  it("read the sign-in events filter: no email is everyone, a malformed one is said beside the field", () => {
    expect(signInEventsFilter.parse({})).toEqual({ email: null });
    expect(signInEventsFilter.parse({ email: "  " })).toEqual({ email: null });
    expect(signInEventsFilter.parse({ email: " a@b.example " })).toEqual({ email: "a@b.example" });
    expect(fieldErrorsOf(signInEventsFilter.safeParse({ email: "nobody" }).error!)).toEqual({
      email: "Enter a valid email address.",
    });
  });

  it("say the login form's mistakes one per field", () => {
    expect(fieldErrorsOf(signInSchema.safeParse({ email: "x", password: "" }).error!)).toEqual({
      email: "Enter a valid email address.",
      password: "Enter your password.",
    });
  });
});
