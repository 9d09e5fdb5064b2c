import { describe, expect, it } from "vitest";
import { cookieSessionEmail, isLoopbackUrl, sessionCookieMaxAge, sessionStart } from "./session-cookie.server";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const accessToken = (claims: Record<string, unknown>) => `${b64({ alg: "HS256" })}.${b64(claims)}.sig`;
const cookieValue = (claims: Record<string, unknown>) =>
  `base64-${b64({ access_token: accessToken(claims), user: { email: "ada@example.com" } })}`;

describe("the session cookie", () => {
  const signedInAt = 1_800_000_000;
  const value = cookieValue({ iat: signedInAt + 3000, amr: [{ method: "password", timestamp: signedInAt }] });

  it("lives until the session's absolute limit, counted from its sign-in", () => {
    const cookies = [{ name: "sb-127-auth-token", value }];
    expect(sessionStart(cookies)).toBe(signedInAt);
    expect(sessionCookieMaxAge(cookies, 43200, signedInAt)).toBe(43200);
    expect(sessionCookieMaxAge(cookies, 43200, signedInAt + 40000)).toBe(3200);
    expect(sessionCookieMaxAge(cookies, 43200, signedInAt + 50000)).toBe(0);
  });

  it("reads a session split over chunks, and falls back to the whole limit without one", () => {
    const chunks = [
      { name: "sb-127-auth-token.1", value: value.slice(40) },
      { name: "sb-127-auth-token.0", value: value.slice(0, 40) },
    ];
    expect(sessionStart(chunks)).toBe(signedInAt);
    expect(cookieSessionEmail(chunks)).toBe("ada@example.com");
    expect(sessionCookieMaxAge([{ name: "sb-127-auth-token", value: "garbage" }], 43200)).toBe(43200);
  });

  it("is Secure everywhere but on loopback hosts", () => {
    expect(isLoopbackUrl("http://localhost:3000/login")).toBe(true);
    expect(isLoopbackUrl("http://127.0.0.1:3000/")).toBe(true);
    expect(isLoopbackUrl("http://[::1]:3000/")).toBe(true);
    expect(isLoopbackUrl("http://regtest.bank.example/")).toBe(false);
    expect(isLoopbackUrl("http://localhost.bank.example/")).toBe(false);
  });
});
