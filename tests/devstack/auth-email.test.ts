import { AuthApiError, createClient, isAuthApiError } from "@supabase/supabase-js";
import { afterAll, describe, expect, it } from "vitest";
import { admin, anon, db, env, password, signedInUser, uniqueEmail } from "./fixtures/auth-clients.ts";
import { gatewayWith, onDevstack } from "./fixtures/own-gateway.ts";

/**
 * GoTrue's email flows. Mail is not read here (a real project sends it, the local stack logs it): the token GoTrue
 * stored is read from auth.users, or taken from admin generate_link, which returns what the mail would hold.
 */
afterAll(async () => {
  await db.end();
});

function expectApiError(error: unknown, status: number, code: string): AuthApiError {
  expect(isAuthApiError(error), `expected an AuthApiError, got ${String(error)}`).toBe(true);
  const apiError = error as AuthApiError;
  expect({ status: apiError.status, code: apiError.code }).toEqual({ status, code });
  return apiError;
}

async function storedToken(email: string, column: "recovery_token" | "confirmation_token"): Promise<string> {
  const [row] = await db<{ token: string }[]>`select ${db(column)} as token from auth.users where email = ${email}`;
  expect(row?.token, `${column} of ${email}`).toMatch(/^[0-9a-f]{56}$/);
  return row!.token;
}

describe("/auth/v1 recover", () => {
  it("answers 200 and stores a recovery token whose hash verifies into a session", async () => {
    const { email, user } = await signedInUser();
    const client = anon();
    const { error } = await client.auth.resetPasswordForEmail(email);
    expect(error).toBeNull();
    const tokenHash = await storedToken(email, "recovery_token");

    const { data, error: verifyError } = await client.auth.verifyOtp({ token_hash: tokenHash, type: "recovery" });
    expect(verifyError).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(data.session?.access_token).toBeTruthy();

    const { error: updateError } = await client.auth.updateUser({ password: "a-new-password-1" });
    expect(updateError).toBeNull();
    const signIn = await anon().auth.signInWithPassword({ email, password: "a-new-password-1" });
    expect(signIn.error).toBeNull();
  });

  it("uses a token once", async () => {
    const { email } = await signedInUser();
    await anon().auth.resetPasswordForEmail(email);
    const tokenHash = await storedToken(email, "recovery_token");
    expect((await anon().auth.verifyOtp({ token_hash: tokenHash, type: "recovery" })).error).toBeNull();
    const again = await anon().auth.verifyOtp({ token_hash: tokenHash, type: "recovery" });
    expectApiError(again.error, 403, "otp_expired");
  });

  it("answers 200 for an unknown address too, telling nothing", async () => {
    const { error } = await anon().auth.resetPasswordForEmail(uniqueEmail());
    expect(error).toBeNull();
  });

  it("refuses a malformed address with a GoTrue error", async () => {
    const { error } = await anon().auth.resetPasswordForEmail("not-an-address");
    expectApiError(error, 400, "validation_failed");
  });
});

describe("/auth/v1 otp and magic links", () => {
  it("signs a known user in with the magic link's token", async () => {
    const { email, user } = await signedInUser();
    const { error } = await anon().auth.signInWithOtp({ email });
    expect(error).toBeNull();
    const tokenHash = await storedToken(email, "recovery_token");
    const { data, error: verifyError } = await anon().auth.verifyOtp({ token_hash: tokenHash, type: "magiclink" });
    expect(verifyError).toBeNull();
    expect(data.user?.id).toBe(user.id);
  });

  it("refuses an unknown address when shouldCreateUser is false with 422 otp_disabled", async () => {
    const { error } = await anon().auth.signInWithOtp({ email: uniqueEmail(), options: { shouldCreateUser: false } });
    expectApiError(error, 422, "otp_disabled");
  });

  it("refuses a new address with 422 otp_disabled while sign-ups are off, creating nobody", async () => {
    const email = uniqueEmail();
    const { error } = await anon().auth.signInWithOtp({ email });
    expectApiError(error, 422, "otp_disabled");
    expect(await db`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  it.skipIf(!onDevstack)(
    "with sign-ups on, creates an unconfirmed user for a new address, confirmed by the code",
    async () => {
      const own = await gatewayWith({ enable_signup: "true" });
      try {
        const client = createClient(own.url, env.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
        const email = uniqueEmail();
        const { error } = await client.auth.signInWithOtp({ email, options: { data: { full_name: "Otto" } } });
        expect(error).toBeNull();
        const [created] =
          await db`select email_confirmed_at, raw_user_meta_data from auth.users where email = ${email}`;
        expect(created).toMatchObject({ email_confirmed_at: null, raw_user_meta_data: { full_name: "Otto" } });
        const tokenHash = await storedToken(email, "confirmation_token");
        const { data, error: verifyError } = await client.auth.verifyOtp({ token_hash: tokenHash, type: "signup" });
        expect(verifyError).toBeNull();
        expect(data.user?.email_confirmed_at).toBeTruthy();
      } finally {
        await own.gateway.close();
      }
    },
  );

  it("answers a wrong code with 403 otp_expired", async () => {
    const { email } = await signedInUser();
    const { error } = await anon().auth.verifyOtp({ email, token: "000000", type: "email" });
    expectApiError(error, 403, "otp_expired");
  });

  it("resends a sign-up confirmation with 200", async () => {
    const { error } = await anon().auth.resend({ type: "signup", email: uniqueEmail() });
    expect(error).toBeNull();
  });
});

describe("/auth/v1 admin links and invites", () => {
  it("generates a magic link whose one-time code signs the user in", async () => {
    const { email, user } = await signedInUser();
    const { data, error } = await admin().auth.admin.generateLink({ type: "magiclink", email });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(data.properties).toMatchObject({ verification_type: "magiclink" });
    expect(data.properties?.action_link).toContain("/auth/v1/verify?token=");
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    const { data: verified, error: verifyError } = await anon().auth.verifyOtp({
      email,
      token: data.properties!.email_otp,
      type: "email",
    });
    expect(verifyError).toBeNull();
    expect(verified.user?.id).toBe(user.id);
  });

  it("answers 404 user_not_found for a recovery link to an unknown address", async () => {
    const { error } = await admin().auth.admin.generateLink({ type: "recovery", email: uniqueEmail() });
    expectApiError(error, 404, "user_not_found");
  });

  it("generates a sign-up link that creates the user, confirmed once verified", async () => {
    const email = uniqueEmail();
    const { data, error } = await admin().auth.admin.generateLink({ type: "signup", email, password });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeUndefined();
    const verified = await anon().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: "signup" });
    expect(verified.error).toBeNull();
    expect((await anon().auth.signInWithPassword({ email, password })).error).toBeNull();
  });

  it("invites a user by email; the invite's token confirms the address", async () => {
    const email = uniqueEmail();
    const { data, error } = await admin().auth.admin.inviteUserByEmail(email, { data: { team: "qa" } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { team: "qa" } });
    expect(data.user?.invited_at).toBeTruthy();
    const tokenHash = await storedToken(email, "confirmation_token");
    const verified = await anon().auth.verifyOtp({ token_hash: tokenHash, type: "invite" });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
  });

  it("refuses to invite a registered address with 422 email_exists", async () => {
    const { email } = await signedInUser();
    const { error } = await admin().auth.admin.inviteUserByEmail(email);
    expectApiError(error, 422, "email_exists");
  });

  it("refuses invites and links without the service role with a GoTrue error", async () => {
    const { error } = await anon().auth.admin.inviteUserByEmail(uniqueEmail());
    expect(isAuthApiError(error)).toBe(true);
    expect(error?.status).toBe(403);
  });
});

describe("/auth/v1 reauthenticate", () => {
  it("sends a reauthentication nonce to the signed-in user with 200", async () => {
    const { supabase } = await signedInUser();
    const { error } = await supabase.auth.reauthenticate();
    expect(error).toBeNull();
  });
});
