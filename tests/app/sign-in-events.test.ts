import { createClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestUser } from "../support/app-http";

const need = (name: string) =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is not set`);
  })();
const url = need("SUPABASE_URL");
const anonKey = need("SUPABASE_ANON_KEY");
const db = postgres(need("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
const client = () => createClient<Database>(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });

afterAll(async () => {
  await db.end();
});

async function signedIn(email: string, password: string) {
  const supabase = client();
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return supabase;
}

describe("record_auth_event", () => {
  it("takes a failed sign-in or an ended session from anyone, with the account it names", async () => {
    const user = await createTestUser("auth-event");
    try {
      const { error } = await client().rpc("record_auth_event", {
        p_event: "sign_in_failed",
        p_email: ` ${user.email.toUpperCase()} `,
        p_ip_address: "2001:db8::5",
      });
      expect(error).toBeNull();
      const rows = await db`select event, email, user_id, host(ip_address) as ip from private.auth_events
                            where email = ${user.email}`;
      expect(rows).toEqual([{ event: "sign_in_failed", email: user.email, user_id: user.id, ip: "2001:db8::5" }]);
    } finally {
      await user.remove();
    }
  });

  it("refuses what only the auth server may record and malformed input, storing nothing", async () => {
    const before = await db`select count(*)::int as n from private.auth_events`;
    for (const [args, reason] of [
      [{ p_event: "signed_in", p_email: "a@example.com" }, "auth_event_unknown"],
      [{ p_event: "sign_in_failed", p_email: `${"a".repeat(321)}` }, "auth_event_email_too_long"],
      [
        { p_event: "sign_in_failed", p_email: "a@example.com", p_ip_address: "not-an-address" },
        "auth_event_address_invalid",
      ],
    ] as const) {
      const { error } = await client().rpc("record_auth_event", args);
      expect({ code: error?.code, details: error?.details }).toEqual({ code: "PT400", details: reason });
    }
    const after = await db`select count(*)::int as n from private.auth_events`;
    expect(after).toEqual(before);
  });
});

describe("list_sign_in_events", () => {
  it("is for admins only", async () => {
    const tester = await signedIn("tester@example.com", "demo-password");
    const { error } = await tester.rpc("list_sign_in_events", {});
    expect({ code: error?.code, details: error?.details }).toEqual({
      code: "PT403",
      details: "sign_in_events_require_admin",
    });
    const { error: anonError } = await client().rpc("list_sign_in_events", {});
    expect(anonError).not.toBeNull();
  });

  it("lists the auth server's sign-ins and sign-outs with the app's reports, newest first", async () => {
    const user = await createTestUser("auth-list");
    try {
      const supabase = await signedIn(user.email, user.password);
      await supabase.auth.signOut();
      await client().rpc("record_auth_event", { p_event: "sign_in_failed", p_email: user.email });
      const admin = await signedIn("admin@example.com", "demo-password");
      const { data, error } = await admin.rpc("list_sign_in_events", { p_limit: 1000 });
      expect(error).toBeNull();
      const mine = data!.filter((e) => e.email === user.email);
      expect(mine.map((e) => [e.event, e.user_id])).toEqual([
        ["sign_in_failed", user.id],
        ["signed_out", user.id],
        ["signed_in", user.id],
      ]);
      // One person's events, whatever everyone else did since: the email is matched without regard to case.
      const { data: theirs } = await admin.rpc("list_sign_in_events", {
        p_limit: 3,
        p_email: user.email.toUpperCase(),
      });
      expect(theirs!.map((e) => [e.event, e.email])).toEqual([
        ["sign_in_failed", user.email],
        ["signed_out", user.email],
        ["signed_in", user.email],
      ]);
      const { error: limitError } = await admin.rpc("list_sign_in_events", { p_limit: 5000 });
      expect(limitError?.details).toBe("limit_out_of_range");
    } finally {
      await user.remove();
    }
  });
});
