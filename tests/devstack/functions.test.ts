import { createHmac } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { requiredEnv } from "./fixtures/env.ts";

const env = requiredEnv();

describe("/functions/v1", () => {
  it("invokes the health function through supabase-js and reports the database reachable", async () => {
    const supabase = createClient(env.url, env.anonKey, { auth: { persistSession: false } });
    const { data, error } = await supabase.functions.invoke("health", { method: "GET" });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "ok", database: { reachable: true } });
  });

  it("refuses a request without a JWT, as the edge runtime does with verify_jwt on", async () => {
    const response = await fetch(`${env.url}/functions/v1/health`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "Missing authorization header" });
  });

  it("refuses a JWT signed with another secret", async () => {
    const forged = env.anonKey.replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    const response = await fetch(`${env.url}/functions/v1/health`, { headers: { authorization: `Bearer ${forged}` } });
    expect(response.status).toBe(401);
  });

  it("refuses a JWT whose exp is a string, which would never expire", async () => {
    const secret = process.env.SUPABASE_JWT_SECRET;
    if (!secret) return;
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const head = enc({ alg: "HS256", typ: "JWT" });
    const body = enc({ role: "anon", exp: "9999999999" });
    const token = `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
    const response = await fetch(`${env.url}/functions/v1/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });

  it("answers 404 for a function that does not exist", async () => {
    const supabase = createClient(env.url, env.anonKey, { auth: { persistSession: false } });
    const { error } = await supabase.functions.invoke("no-such-function");
    expect(error).not.toBeNull();
    expect((error as { context?: Response }).context?.status).toBe(404);
  });
});
