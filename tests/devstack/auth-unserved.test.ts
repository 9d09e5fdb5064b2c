import { isAuthApiError, type AuthApiError } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, anon, db, env, signedInUser, uniqueEmail } from "./fixtures/auth-clients.ts";
import { onDevstack } from "./fixtures/own-gateway.ts";

/**
 * What GoTrue leaves off under this project's configuration (no MFA, SSO, phone, OAuth providers or anonymous
 * sign-ins) and the flows supabase-js reaches by a link, through supabase-js: each answers GoTrue's JSON error,
 * which supabase-js reads as an AuthApiError with a code, never a plain-text 404 it cannot parse. Against a real
 * project, whose dashboard may switch some of these on, only the shape is checked; the devstack's exact
 * answers are GoTrue's with these features off.
 */
let user: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  user = await signedInUser();
});

afterAll(async () => {
  await admin().auth.admin.deleteUser(user.user.id);
  await db.end();
});

function expectGoTrueError(error: unknown, status: number, code: string): void {
  expect(isAuthApiError(error), `expected GoTrue's JSON error, got ${String(error)}`).toBe(true);
  const apiError = error as AuthApiError;
  expect(apiError.status).toBeGreaterThanOrEqual(400);
  expect(apiError.status).toBeLessThan(500);
  expect(apiError.code, apiError.message).toEqual(expect.any(String));
  if (onDevstack) expect({ status: apiError.status, code: apiError.code }).toEqual({ status, code });
}

describe("features left off", () => {
  it("refuses MFA enrolment and challenges, and lists no factors", async () => {
    expectGoTrueError(
      (await user.supabase.auth.mfa.enroll({ factorType: "totp" })).error,
      422,
      "mfa_totp_enroll_not_enabled",
    );
    const factor = "00000000-0000-4000-8000-000000000000";
    expectGoTrueError(
      (await user.supabase.auth.mfa.challenge({ factorId: factor })).error,
      404,
      "mfa_factor_not_found",
    );
    const listed = await user.supabase.auth.mfa.listFactors();
    expect(listed.error).toBeNull();
    expect(listed.data?.all).toEqual([]);
  });

  it("answers the admin MFA API with GoTrue's JSON: no factors, an unknown factor, an unknown user", async () => {
    const listed = await admin().auth.admin.mfa.listFactors({ userId: user.user.id });
    expect(listed.error).toBeNull();
    expect(listed.data?.factors).toEqual([]);
    const removed = await admin().auth.admin.mfa.deleteFactor({
      userId: user.user.id,
      id: "00000000-0000-4000-8000-000000000000",
    });
    expectGoTrueError(removed.error, 404, "mfa_factor_not_found");
    const nobody = await admin().auth.admin.mfa.listFactors({ userId: "00000000-0000-4000-8000-000000000000" });
    expectGoTrueError(nobody.error, 404, "user_not_found");
  });

  it("refuses SSO, anonymous, phone and ID-token sign-ins", async () => {
    expectGoTrueError(
      (await anon().auth.signInWithSSO({ domain: "bank.example" })).error,
      404,
      "sso_provider_not_found",
    );
    // Sign-ups are off (enable_signup = false), which GoTrue checks before the anonymous provider.
    expectGoTrueError((await anon().auth.signInAnonymously()).error, 422, "signup_disabled");
    expectGoTrueError(
      (await anon().auth.signInWithOtp({ phone: "+15555550100" })).error,
      400,
      "phone_provider_disabled",
    );
    const byPhone = await anon().auth.signInWithPassword({ phone: "+15555550100", password: "not-a-password" });
    expectGoTrueError(byPhone.error, 422, "phone_provider_disabled");
    const idToken = await anon().auth.signInWithIdToken({ provider: "google", token: "not-a-token" });
    expect(isAuthApiError(idToken.error), String(idToken.error)).toBe(true);
    expect((idToken.error as AuthApiError).status).toBe(400);
  });

  it("refuses linking an identity from a provider that is not enabled", async () => {
    const linked = await user.supabase.auth.linkIdentity({
      provider: "github",
      options: { skipBrowserRedirect: true },
    });
    expectGoTrueError(linked.error, 400, "validation_failed");
  });
});

describe("links in the messages GoTrue would mail", () => {
  it("serves GoTrue's older POST /magiclink as /otp (supabase-js no longer calls it; external tools may)", async () => {
    const { email, user: known } = await signedInUser();
    try {
      const res = await fetch(`${env.url}/auth/v1/magiclink`, {
        method: "POST",
        headers: { apikey: env.anonKey, "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      expect(res.status).toBe(200);
      const [row] = await db<
        { token: string }[]
      >`select recovery_token as token from auth.users where email = ${email}`;
      const verified = await anon().auth.verifyOtp({ token_hash: row!.token, type: "magiclink" });
      expect(verified.error).toBeNull();
      expect(verified.data.user?.id).toBe(known.id);
    } finally {
      await admin().auth.admin.deleteUser(known.id);
    }
  });

  it("signs the user in through the GET /verify link, redirecting with the session in the fragment", async () => {
    const email = uniqueEmail();
    const created = await admin().auth.admin.createUser({ email, email_confirm: true });
    expect(created.error).toBeNull();
    try {
      const { data, error } = await admin().auth.admin.generateLink({ type: "magiclink", email });
      expect(error).toBeNull();
      const link = new URL(data.properties!.action_link);
      // The link's host is the project's public URL; reach it where the suite reaches the API.
      const res = await fetch(`${env.url}${link.pathname}${link.search}`, { redirect: "manual" });
      expect(res.status).toBe(303);
      const fragment = new URLSearchParams(new URL(res.headers.get("location")!).hash.slice(1));
      expect(fragment.get("type")).toBe("magiclink");
      const session = await anon().auth.setSession({
        access_token: fragment.get("access_token")!,
        refresh_token: fragment.get("refresh_token")!,
      });
      expect(session.error).toBeNull();
      expect(session.data.user?.email).toBe(email);
      // Used once: the same link again redirects with GoTrue's error in the fragment.
      const again = await fetch(`${env.url}${link.pathname}${link.search}`, { redirect: "manual" });
      expect(again.status).toBe(303);
      const refused = new URLSearchParams(new URL(again.headers.get("location")!).hash.slice(1));
      expect(refused.get("error")).toBe("access_denied");
      expect(refused.get("error_code")).toBe("otp_expired");
    } finally {
      await admin().auth.admin.deleteUser(created.data.user!.id);
    }
  });
});
