import { createClient } from "@supabase/supabase-js";
import { afterAll, describe, expect, it } from "vitest";
import { admin, anon, db, env, password, signedInUser, uniqueEmail } from "./fixtures/auth-clients.ts";

// The limits of supabase/config.toml ([auth.sessions]): 30 minutes idle, 12 hours in all. The tests move a
// session's timestamps back instead of waiting.
afterAll(async () => {
  await db.end();
});

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString("utf8")).session_id;
}

/** As if the session's last refresh (or its sign-in, when it was never refreshed) was `minutes` ago. */
async function idleFor(sessionId: string, minutes: number) {
  await db`update auth.sessions
           set created_at = now() - make_interval(mins => ${minutes}), refreshed_at = null
           where id = ${sessionId}`;
  await db`update auth.refresh_tokens set created_at = now() - make_interval(mins => ${minutes}),
           updated_at = now() - make_interval(mins => ${minutes}) where session_id = ${sessionId}`;
}

async function refreshRaw(refreshToken: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${env.url}/auth/v1/token?grant_type=refresh_token`, {
    method: "POST",
    headers: { apikey: env.anonKey, "content-type": "application/json", ...headers },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("session limits ([auth.sessions])", () => {
  it("refreshes a session used within the idle timeout and records when, from which browser and address", async () => {
    const { supabase, session } = await signedInUser();
    const id = sessionIdOf(session.access_token);
    await idleFor(id, 29);
    const { status } = await refreshRaw(session.refresh_token, {
      "user-agent": "limits-test",
      "x-forwarded-for": "203.0.113.7, 10.0.0.1",
    });
    expect(status).toBe(200);
    const [row] = await db`select (now() at time zone 'utc') - refreshed_at < interval '1 minute' as recent,
                                  user_agent, host(ip) as ip
                           from auth.sessions where id = ${id}`;
    expect(row).toEqual({ recent: true, user_agent: "limits-test", ip: "203.0.113.7" });
    await supabase.auth.signOut();
  });

  it("refuses a refresh after 30 minutes without one, as GoTrue does, and revokes the session", async () => {
    const { session } = await signedInUser();
    const id = sessionIdOf(session.access_token);
    await idleFor(id, 31);

    const { data, error } = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(data.session).toBeNull();
    expect({ status: error?.status, code: error?.code, message: error?.message }).toEqual({
      status: 400,
      code: "session_expired",
      message: "Invalid Refresh Token: Session Expired (Inactivity)",
    });
    expect(await db`select 1 from auth.sessions where id = ${id}`).toHaveLength(0);

    // Revoked: the token is gone, and the session's access tokens no longer name a session.
    const again = await refreshRaw(session.refresh_token, { "x-supabase-api-version": "2024-01-01" });
    expect(again).toMatchObject({ status: 400, body: { code: "refresh_token_not_found" } });
    const user = await fetch(`${env.url}/auth/v1/user`, {
      headers: { apikey: env.anonKey, authorization: `Bearer ${session.access_token}` },
    });
    expect({ status: user.status, code: user.headers.get("x-sb-error-code") }).toEqual({
      status: 403,
      code: "session_not_found",
    });
  });

  it("refuses a refresh 12 hours after sign-in however recently the session was refreshed", async () => {
    const { session } = await signedInUser();
    const id = sessionIdOf(session.access_token);
    await db`update auth.sessions set created_at = now() - interval '12 hours 1 minute',
             refreshed_at = now() at time zone 'utc' where id = ${id}`;
    const { error } = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    expect({ status: error?.status, code: error?.code, message: error?.message }).toEqual({
      status: 400,
      code: "session_expired",
      message: "Invalid Refresh Token: Session Expired",
    });
    expect(await db`select 1 from auth.sessions where id = ${id}`).toHaveLength(0);
  });

  it("keeps refreshing an active session up to its absolute limit", async () => {
    const { session } = await signedInUser();
    const id = sessionIdOf(session.access_token);
    await db`update auth.sessions set created_at = now() - interval '11 hours 59 minutes',
             refreshed_at = (now() - interval '5 minutes') at time zone 'utc' where id = ${id}`;
    const { error } = await anon().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
  });
});

describe("auth.audit_log_entries", () => {
  it("records a password sign-in, a refresh and a sign-out with the actor and the caller's address", async () => {
    const email = uniqueEmail();
    const created = await admin().auth.admin.createUser({ email, password, email_confirm: true });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    const supabase = createClient(env.url, env.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { "X-Forwarded-For": "198.51.100.23" } },
    });
    const signIn = await supabase.auth.signInWithPassword({ email, password });
    expect(signIn.error).toBeNull();
    await supabase.auth.refreshSession();
    await supabase.auth.signOut();
    const rows = await db`select payload->>'action' as action, payload->>'log_type' as log_type,
                                 payload->>'actor_username' as who, ip_address
                          from auth.audit_log_entries where payload->>'actor_id' = ${user.id}
                          order by created_at, payload->>'action'`;
    expect(rows).toEqual([
      { action: "login", log_type: "account", who: email, ip_address: "198.51.100.23" },
      { action: "token_refreshed", log_type: "token", who: email, ip_address: "198.51.100.23" },
      { action: "token_revoked", log_type: "token", who: email, ip_address: "198.51.100.23" },
      { action: "logout", log_type: "account", who: email, ip_address: "198.51.100.23" },
    ]);
  });
});
