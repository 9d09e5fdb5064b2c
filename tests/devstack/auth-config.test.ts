import { createClient, isAuthApiError, isAuthWeakPasswordError, type AuthError } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../devstack/gateway/server.ts";
import { db, env, password, uniqueEmail } from "./fixtures/auth-clients.ts";
import { gatewayWith, onDevstack } from "./fixtures/own-gateway.ts";

// The gateway follows supabase/config.toml's [auth] settings as GoTrue does. The stack under test runs the
// repository's configuration (sign-ups off, a sign-in limit the whole suite stays under); these tests start
// gateways of their own on loopback, over the same database, from a copy of it with other values.

function anonAt(url: string) {
  return createClient(url, env.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

function expectApiError(error: AuthError | null, status: number, code: string) {
  expect(isAuthApiError(error), `expected an AuthApiError, got ${String(error)}`).toBe(true);
  expect({ status: error!.status, code: error!.code }).toEqual({ status, code });
}

afterAll(async () => {
  await db.end();
});

describe.skipIf(!onDevstack)("[auth] enable_signup = true", () => {
  let signups: { gateway: Gateway; url: string };

  beforeAll(async () => {
    signups = await gatewayWith({ enable_signup: "true" });
  });
  afterAll(async () => {
    await signups.gateway.close();
  });

  it("signs up with email and password and returns a session at once (confirmations are off)", async () => {
    const email = uniqueEmail();
    const { data, error } = await anonAt(signups.url).auth.signUp({
      email,
      password,
      options: { data: { full_name: "Ada" } },
    });
    expect(error).toBeNull();
    expect(data.session).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(data.session!.refresh_token).toMatch(/\S{12,}/);
    expect(data.user).toMatchObject({
      aud: "authenticated",
      role: "authenticated",
      email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: expect.objectContaining({ full_name: "Ada" }),
      is_anonymous: false,
    });
    expect(data.user!.email_confirmed_at).toBeTruthy();
    const [row] = await db<{ encrypted_password: string }[]>`
      select encrypted_password from auth.users where id = ${data.user!.id}`;
    expect(row!.encrypted_password).toMatch(/^\$2[ab]\$10\$[./A-Za-z0-9]{53}$/);
    const settings = await fetch(`${signups.url}/auth/v1/settings`, { headers: { apikey: env.anonKey } });
    expect(await settings.json()).toMatchObject({ disable_signup: false });
  });

  it("refuses a weak password, a registered address and a malformed one", async () => {
    const client = anonAt(signups.url);
    const weak = await client.auth.signUp({ email: uniqueEmail(), password: "12345" });
    expect(isAuthWeakPasswordError(weak.error)).toBe(true);
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password", reasons: ["length"] });
    const email = uniqueEmail();
    expect((await client.auth.signUp({ email, password })).error).toBeNull();
    expectApiError((await client.auth.signUp({ email, password })).error, 422, "user_already_exists");
    expectApiError((await client.auth.signUp({ email: "not-an-address", password })).error, 400, "validation_failed");
  });

  it("refuses sign-up data nested 5,000 levels or holding a NUL character with 400, storing nothing", async () => {
    const email = uniqueEmail();
    const post = (body: string) =>
      fetch(`${signups.url}/auth/v1/signup`, {
        method: "POST",
        headers: { apikey: env.anonKey, "content-type": "application/json", "x-supabase-api-version": "2024-01-01" },
        body,
      });
    const deep = await post(
      `{"email":"${email}","password":"${password}","data":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`,
    );
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ code: "bad_json" });
    const nul = await post(JSON.stringify({ email, password, data: { name: "a\u0000b" } }));
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ code: "validation_failed" });
    expect(await db`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });
});

describe.skipIf(!onDevstack)("[auth.rate_limit] sign_in_sign_ups", () => {
  const limit = 5;
  let limited: { gateway: Gateway; url: string };

  beforeAll(async () => {
    limited = await gatewayWith({ sign_in_sign_ups: String(limit) });
  });
  afterAll(async () => {
    await limited.gateway.close();
  });

  it(`answers 429 over_request_rate_limit once ${limit} sign-ins came from one address, right or wrong`, async () => {
    const client = anonAt(limited.url);
    for (let i = 0; i < limit; i++) {
      const { error } = await client.auth.signInWithPassword({ email: "admin@example.com", password: `wrong-${i}` });
      expectApiError(error, 400, "invalid_credentials");
    }
    const right = await client.auth.signInWithPassword({ email: "admin@example.com", password: "demo-password" });
    expectApiError(right.error, 429, "over_request_rate_limit");
    expect(right.error!.message).toBe("Request rate limit reached");
    // Sign-ups (off here) are counted in the same bucket, before being refused.
    expectApiError(
      (await client.auth.signUp({ email: uniqueEmail(), password })).error,
      429,
      "over_request_rate_limit",
    );
    // The stack under test keeps its own count: this address can still sign in there.
    const elsewhere = await anonAt(env.url).auth.signInWithPassword({
      email: "admin@example.com",
      password: "demo-password",
    });
    expect(elsewhere.error).toBeNull();
  });
});
