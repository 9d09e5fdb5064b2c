import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";

/** The app under test, and the Supabase admin API of its stack (both from the stack's env file). */
export function appEnv() {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: start a stack and source its env file first`);
    return value;
  };
  return {
    appUrl: need("APP_URL"),
    admin: createClient(need("SUPABASE_URL"), need("SUPABASE_SERVICE_ROLE_KEY"), {
      auth: { autoRefreshToken: false, persistSession: false },
    }),
  };
}

/** A confirmed user of its own, deleted by the returned function. */
export async function createTestUser(prefix: string) {
  const { admin } = appEnv();
  const email = `${prefix}-${randomUUID()}@regtest.test`;
  const password = `pw-${randomUUID()}`;
  const { data, error } = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (error) throw error;
  return { email, password, id: data.user.id, remove: () => admin.auth.admin.deleteUser(data.user.id) };
}

/** Signs in through the login form (same origin) and returns the session cookies as a Cookie header. */
export async function signInOverHttp(
  email: string,
  password: string,
): Promise<{ cookie: string; setCookies: string[] }> {
  const { appUrl } = appEnv();
  const response = await fetch(`${appUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: new URL(appUrl).origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
  });
  if (response.status !== 302) throw new Error(`sign-in answered ${response.status}`);
  const setCookies = response.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
  return { cookie, setCookies };
}

/**
 * Every route module of the app that has an action, with the URL it serves (flat routes: `.` is `/`,
 * `$param` is a value, a trailing `_` opts out of the parent's layout, `[x]` is literal).
 */
export function actionRoutes(): { file: string; url: string }[] {
  const dir = path.join(import.meta.dirname, "..", "..", "app", "routes");
  return readdirSync(dir)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\./.test(file))
    .filter((file) => /export (async )?(function|const) action\b/.test(readFileSync(path.join(dir, file), "utf8")))
    .map((file) => ({ file, url: routeUrl(file.replace(/\.tsx?$/, "")) }));
}

function routeUrl(name: string): string {
  const segments = name
    .split(/\.(?![^[]*\])/)
    .map((segment) => segment.replace(/_$/, ""))
    .filter((segment) => segment !== "_index" && !segment.startsWith("_"))
    .map((segment) => (segment.startsWith("$") ? (segment === "$" ? "anything" : "1") : segment))
    .map((segment) => segment.replace(/\[(.*?)\]/g, "$1"));
  return `/${segments.join("/")}`;
}
