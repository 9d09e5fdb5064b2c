import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { AuthApiError, isAuthApiError } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  anon,
  authConfig,
  client,
  db,
  decodeJwt,
  env,
  password,
  signedInUser,
  uniqueEmail,
} from "./fixtures/auth-clients.ts";
import { reloadSchema } from "./fixtures/rest-env.ts";

afterAll(async () => {
  await db.end();
});

function expectApiError(error: unknown, status: number, code: string): AuthApiError {
  expect(isAuthApiError(error), `expected an AuthApiError, got ${String(error)}`).toBe(true);
  const apiError = error as AuthApiError;
  expect({ status: apiError.status, code: apiError.code }).toEqual({ status, code });
  return apiError;
}

describe("/auth/v1 sign-up", () => {
  // supabase/config.toml turns sign-ups off (admins create users); tests/devstack/auth-config.test.ts covers
  // sign-up itself on a gateway configured with them on.
  it("refuses a sign-up with 422 signup_disabled and stores nothing, as enable_signup = false says", async () => {
    expect(authConfig().enableSignup).toBe(false);
    const email = uniqueEmail();
    const { data, error } = await anon().auth.signUp({ email, password, options: { data: { full_name: "Eve" } } });
    expect(data.session).toBeNull();
    expectApiError(error, 422, "signup_disabled");
    expect(await db`select 1 from auth.users where email = ${email}`).toHaveLength(0);
    const settings = await fetch(`${env.url}/auth/v1/settings`, { headers: { apikey: env.anonKey } });
    expect(await settings.json()).toMatchObject({ disable_signup: true });
  });
});

describe("/auth/v1 sign-in", () => {
  it("signs in with the right password, records the sign-in and opens a session", async () => {
    const { email, user } = await signedInUser();
    const supabase = anon();
    const { data, error } = await supabase.auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    expect(data.user!.id).toBe(user.id);
    expect(new Date(data.user!.last_sign_in_at!).getTime()).toBeGreaterThanOrEqual(
      new Date(user.last_sign_in_at!).getTime(),
    );
    const sessionId = decodeJwt(data.session!.access_token).session_id as string;
    const tokens = await db`
      select t.revoked from auth.refresh_tokens t join auth.sessions s on s.id = t.session_id
      where s.id = ${sessionId} and s.user_id = ${user.id} and t.token = ${data.session!.refresh_token}`;
    expect(tokens).toEqual([{ revoked: false }]);
  });

  it("answers invalid_credentials for a wrong password and for an unknown address alike", async () => {
    const { email } = await signedInUser();
    const wrong = await anon().auth.signInWithPassword({ email, password: "not-the-password" });
    const unknown = await anon().auth.signInWithPassword({ email: uniqueEmail(), password });
    for (const { data, error } of [wrong, unknown]) {
      expect(data.session).toBeNull();
      expect(expectApiError(error, 400, "invalid_credentials").message).toBe("Invalid login credentials");
    }
  });

  it("checks a password against a bcrypt hash for an unknown address too, so timing does not tell it apart", async () => {
    const postgresLog = process.env.POSTGRES_LOG;
    if (!postgresLog) return; // no server log to inspect (a real Supabase project)
    const probe = `probe-${randomBytes(6).toString("hex")}`;
    const { error } = await anon().auth.signInWithPassword({ email: uniqueEmail(), password: probe });
    expectApiError(error, 400, "invalid_credentials");
    await new Promise((r) => setTimeout(r, 300));
    // The unknown address's password went through crypt() against a bcrypt hash, as a known address's does.
    const lines = readFileSync(postgresLog, "utf8").split("\n");
    const checked = lines.filter((l) => l.includes(`$1 = '${probe}'`) && /\$2 = '\$2a\$10\$/.test(l));
    expect(checked.length).toBeGreaterThan(0);
  });

  it("refuses a NUL character in the address or the password with 400, not 500", async () => {
    for (const body of [
      { email: "nul\u0000@example.com", password },
      { email: "admin@example.com", password: "demo\u0000password" },
    ]) {
      const res = await fetch(`${env.url}/auth/v1/token?grant_type=password`, {
        method: "POST",
        headers: { apikey: env.anonKey, "content-type": "application/json", "x-supabase-api-version": "2024-01-01" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "validation_failed" });
    }
  });

  it("issues an access token with GoTrue's claims", async () => {
    const { session, user, email } = await signedInUser({ team: "risk" });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${env.url}/auth/v1`,
      sub: user.id,
      aud: "authenticated",
      email,
      phone: "",
      role: "authenticated",
      aal: "aal1",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: expect.objectContaining({ team: "risk" }),
      is_anonymous: false,
    });
    expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.amr).toEqual([{ method: "password", timestamp: expect.any(Number) }]);
    expect((claims.exp as number) - (claims.iat as number)).toBe(session.expires_in);
    expect(session.expires_at).toBe(claims.exp);

    const secret = process.env.SUPABASE_JWT_SECRET;
    if (secret) {
      const [head, body, signature] = session.access_token.split(".");
      const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
      expect(signature).toBe(expected);
    }
  });
});

describe("/auth/v1 user", () => {
  it("returns the user behind an access token", async () => {
    const { session, user } = await signedInUser();
    const { data, error } = await anon().auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.id, email: user.email, aud: "authenticated" });
  });

  it("refuses a token that is not a valid JWT with bad_jwt", async () => {
    const { session } = await signedInUser();
    const forged = session.access_token.replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    const { data, error } = await anon().auth.getUser(forged);
    expect(data.user).toBeNull();
    expectApiError(error, 403, "bad_jwt");
  });

  it("updates user_metadata and the password of the signed-in user", async () => {
    const { supabase, email } = await signedInUser({ keep: true });
    const { data, error } = await supabase.auth.updateUser({ password: "a-new-password", data: { keep: null, x: 1 } });
    expect(error).toBeNull();
    expect(data.user!.user_metadata).toMatchObject({ x: 1 });
    expect(data.user!.user_metadata).not.toHaveProperty("keep");
    expect((await anon().auth.signInWithPassword({ email, password: "a-new-password" })).error).toBeNull();
    expectApiError((await anon().auth.signInWithPassword({ email, password })).error, 400, "invalid_credentials");
  });
});

describe("/auth/v1 user, hostile input", () => {
  it("refuses NUL characters and 5,000-level nesting in user_metadata with 400 and changes nothing", async () => {
    const { supabase, user, session } = await signedInUser({ keep: "me" });
    const nul = await supabase.auth.updateUser({ data: { note: "a\u0000b" } });
    expectApiError(nul.error, 400, "validation_failed");
    // Written out by hand: JSON.stringify itself overflows its stack on 5,000 levels.
    const res = await fetch(`${env.url}/auth/v1/user`, {
      method: "PUT",
      headers: {
        apikey: env.anonKey,
        authorization: `Bearer ${session.access_token}`,
        "content-type": "application/json",
        "x-supabase-api-version": "2024-01-01",
      },
      body: `{"data":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "bad_json" });
    const [row] = await db<{ meta: Record<string, unknown> }[]>`
      select raw_user_meta_data as meta from auth.users where id = ${user.id}`;
    expect(row!.meta).toEqual({ keep: "me" });
  });

  it("refuses a token whose exp is a string (it would never expire) with 403 bad_jwt", async () => {
    const { user, session } = await signedInUser();
    const claims = decodeJwt(session.access_token);
    const secret = process.env.SUPABASE_JWT_SECRET;
    if (!secret) return;
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const head = enc({ alg: "HS256", typ: "JWT" });
    const body = enc({ ...claims, sub: user.id, exp: "9999999999" });
    const forged = `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
    const { data, error } = await anon().auth.getUser(forged);
    expect(data.user).toBeNull();
    expectApiError(error, 403, "bad_jwt");
  });
});

describe("/auth/v1 refresh", () => {
  it("rotates the refresh token: a new token whose parent is the old one, the old one revoked", async () => {
    const { supabase, session } = await signedInUser();
    const { data, error } = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session!.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).toBe(decodeJwt(session.access_token).session_id);
    const rows = await db<{ token: string; revoked: boolean; parent: string | null }[]>`
      select token, revoked, parent from auth.refresh_tokens
      where token in ${db([session.refresh_token, data.session!.refresh_token])} order by id`;
    expect(rows).toEqual([
      { token: session.refresh_token, revoked: true, parent: null },
      { token: data.session!.refresh_token, revoked: false, parent: session.refresh_token },
    ]);
  });

  it("answers a replayed parent token with its live child, as GoTrue does for clients that lost a response", async () => {
    const { session } = await signedInUser();
    const first = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    const replay = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(replay.error).toBeNull();
    expect(replay.data.session!.refresh_token).toBe(first.data.session!.refresh_token);
  });

  it("refuses a revoked token used after the reuse interval and revokes the session's tokens", async () => {
    const { session } = await signedInUser();
    const t1 = (await anon().auth.refreshSession({ refresh_token: session.refresh_token })).data.session!;
    const t2 = (await anon().auth.refreshSession({ refresh_token: t1.refresh_token })).data.session!;
    // Move the first token's revocation out of the reuse interval instead of waiting for it.
    await db`update auth.refresh_tokens set updated_at = now() - interval '1 minute'
             where token = ${session.refresh_token}`;
    const { data, error } = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(data.session).toBeNull();
    expectApiError(error, 400, "refresh_token_already_used");
    const [live] = await db<{ revoked: boolean }[]>`
      select revoked from auth.refresh_tokens where token = ${t2.refresh_token}`;
    expect(live!.revoked).toBe(true);
  });

  it("refuses a refresh token it never issued with refresh_token_not_found", async () => {
    const { error } = await anon().auth.refreshSession({ refresh_token: "abcdefghijkl" });
    expectApiError(error, 400, "refresh_token_not_found");
  });
});

describe("/auth/v1 sign-out", () => {
  it("ends every session of the user by default: their refresh tokens stop working", async () => {
    const { supabase, email, session } = await signedInUser();
    const other = (await anon().auth.signInWithPassword({ email, password })).data.session!;
    const { error } = await supabase.auth.signOut();
    expect(error).toBeNull();
    for (const token of [session.refresh_token, other.refresh_token]) {
      expectApiError(
        (await anon().auth.refreshSession({ refresh_token: token })).error,
        400,
        "refresh_token_not_found",
      );
    }
    const { error: userError } = await anon().auth.getUser(session.access_token);
    expect(userError).toMatchObject({ name: "AuthSessionMissingError" });
  });

  it("ends only the current session with scope local", async () => {
    const { supabase, email, session } = await signedInUser();
    const other = (await anon().auth.signInWithPassword({ email, password })).data.session!;
    expect((await supabase.auth.signOut({ scope: "local" })).error).toBeNull();
    expectApiError(
      (await anon().auth.refreshSession({ refresh_token: session.refresh_token })).error,
      400,
      "refresh_token_not_found",
    );
    expect((await anon().auth.refreshSession({ refresh_token: other.refresh_token })).error).toBeNull();
  });
});

describe("/auth/v1 admin", () => {
  it("creates a confirmed user with metadata using the service role key; the user can sign in", async () => {
    const email = uniqueEmail();
    const { data, error } = await admin().auth.admin.createUser({
      email,
      password,
      email_confirm: true,
      user_metadata: { full_name: "Grace" },
      app_metadata: { tenant: "bank-a" },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({
      email,
      aud: "authenticated",
      role: "authenticated",
      user_metadata: { full_name: "Grace" },
      app_metadata: { provider: "email", providers: ["email"], tenant: "bank-a" },
    });
    expect(data.user!.email_confirmed_at).toBeTruthy();
    const signIn = await anon().auth.signInWithPassword({ email, password });
    expect(signIn.error).toBeNull();
    expect(decodeJwt(signIn.data.session!.access_token).app_metadata).toMatchObject({ tenant: "bank-a" });
  });

  it("creates an unconfirmed user who cannot sign in until confirmed", async () => {
    const email = uniqueEmail();
    const { data } = await admin().auth.admin.createUser({ email, password });
    expect(data.user!.email_confirmed_at).toBeUndefined();
    expectApiError((await anon().auth.signInWithPassword({ email, password })).error, 400, "email_not_confirmed");
    await admin().auth.admin.updateUserById(data.user!.id, { email_confirm: true });
    expect((await anon().auth.signInWithPassword({ email, password })).error).toBeNull();
  });

  it("lists users page by page, newest first, with the total", async () => {
    await signedInUser();
    const { user: newest } = await signedInUser();
    const { data, error } = await admin().auth.admin.listUsers({ page: 1, perPage: 1 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(1);
    expect(data).toMatchObject({ aud: "authenticated", nextPage: 2 });
    expect((data as { total: number }).total).toBeGreaterThanOrEqual(2);
    const created = new Date(data.users[0]!.created_at).getTime();
    expect(created).toBeGreaterThanOrEqual(new Date(newest.created_at).getTime());
  });

  it("gets, bans and deletes a user by id", async () => {
    const { user, email, session } = await signedInUser();
    const got = await admin().auth.admin.getUserById(user.id);
    expect(got.data.user).toMatchObject({ id: user.id, email });

    const banned = await admin().auth.admin.updateUserById(user.id, { ban_duration: "24h" });
    expect(banned.error).toBeNull();
    expect(new Date(banned.data.user!.banned_until!).getTime()).toBeGreaterThan(Date.now());
    expectApiError((await anon().auth.signInWithPassword({ email, password })).error, 400, "user_banned");
    expectApiError(
      (await anon().auth.refreshSession({ refresh_token: session.refresh_token })).error,
      400,
      "user_banned",
    );

    expect((await admin().auth.admin.deleteUser(user.id)).error).toBeNull();
    expectApiError((await admin().auth.admin.getUserById(user.id)).error, 404, "user_not_found");
  });

  it("refuses admin calls made with the anon key or a user's token with not_admin", async () => {
    const { session } = await signedInUser();
    const asAnon = await anon().auth.admin.createUser({ email: uniqueEmail(), password });
    expectApiError(asAnon.error, 403, "not_admin");
    const asUser = await client(env.anonKey, session.access_token).auth.admin.listUsers();
    expectApiError(asUser.error, 403, "not_admin");
  });

  it("refuses a second user with the same address with email_exists", async () => {
    const { email } = await signedInUser();
    const { error } = await admin().auth.admin.createUser({ email, password, email_confirm: true });
    expectApiError(error, 422, "email_exists");
  });
});

describe("/auth/v1 tokens on /rest/v1", () => {
  const table = `auth_probe_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    await db.begin(async (tx) => {
      await tx`create table public.${tx(table)} (
        id bigint generated always as identity primary key,
        owner_id uuid not null default auth.uid(),
        body text not null)`;
      await tx`alter table public.${tx(table)} enable row level security`;
      await tx`create policy "Users can add their own rows" on public.${tx(table)}
               for insert to authenticated with check (owner_id = (select auth.uid()))`;
      await tx`create policy "Users can read their own rows" on public.${tx(table)}
               for select to authenticated using (owner_id = (select auth.uid()))`;
      await tx`grant select, insert on public.${tx(table)} to authenticated`;
    });
    // Until the API has the table in its schema cache it answers 404; anon then gets a permission error.
    await reloadSchema(db, () => anon().from(table).select("id").limit(1));
  });

  afterAll(async () => {
    await db`drop table if exists public.${db(table)}`;
    await db`notify pgrst, 'reload schema'`;
  });

  it("acts as the signed-in user: rows are stamped with auth.uid() and hidden from others", async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const asOwner = client(env.anonKey, owner.session.access_token);
    const inserted = await asOwner.from(table).insert({ body: "hello" }).select("owner_id, body").single();
    expect(inserted.error).toBeNull();
    expect(inserted.data).toEqual({ owner_id: owner.user.id, body: "hello" });

    const asStranger = client(env.anonKey, stranger.session.access_token);
    const seen = await asStranger.from(table).select("body");
    expect(seen.error).toBeNull();
    expect(seen.data).toEqual([]);
  });
});
