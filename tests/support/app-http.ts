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
  appUrl = appEnv().appUrl,
): Promise<{ cookie: string; setCookies: string[] }> {
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

/** A route of the running app, as its own route manifest (what the browser loads) describes it. */
export interface ManifestRoute {
  id: string;
  /** The URL pattern, parents' paths joined (`cycle-reports/:id/sampling/samples.csv`, `*`, `` for the index). */
  pattern: string;
  index: boolean;
  hasAction: boolean;
  hasLoader: boolean;
}

/**
 * Every route the running app serves, from the route manifest it gives browsers (`/build/manifest-….js`): what
 * Remix itself knows has a loader or an action, whatever the route file's name or how it exports them.
 */
export async function manifestRoutes(): Promise<ManifestRoute[]> {
  const { appUrl } = appEnv();
  const html = await (await fetch(`${appUrl}/login`)).text();
  const src = /\/build\/manifest-[A-Za-z0-9]+\.js/.exec(html)?.[0];
  if (!src) throw new Error("the login page names no route manifest");
  const text = await (await fetch(`${appUrl}${src}`)).text();
  const manifest = JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as {
    routes: Record<
      string,
      { id: string; parentId?: string; path?: string; index?: boolean; hasAction: boolean; hasLoader: boolean }
    >;
  };
  const routes = manifest.routes;
  const patternOf = (id: string): string => {
    const route = routes[id]!;
    const parent = route.parentId ? patternOf(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  return Object.values(routes)
    .filter((route) => route.id !== "root")
    .map((route) => ({
      id: route.id,
      pattern: patternOf(route.id),
      index: route.index === true,
      hasAction: route.hasAction,
      hasLoader: route.hasLoader,
    }));
}

/** A route's URL with each `:param` (and a splat) replaced by the value `values` gives for it. */
export function routeUrlOf(route: ManifestRoute, values: (param: string) => string): string {
  const segments = route.pattern
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment === "*" ? values("*") : segment.startsWith(":") ? values(segment.slice(1)) : segment));
  return `/${segments.join("/")}`;
}

/**
 * Every route module of the app that has an action, with the URL it serves (flat routes: `.` is `/`,
 * `$param` is a value, a trailing `_` opts out of the parent's layout, `[x]` is literal).
 */
export function actionRoutes(): { file: string; url: string }[] {
  const dir = path.join(import.meta.dirname, "..", "..", "app", "routes");
  return readdirSync(dir)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\./.test(file))
    .filter((file) =>
      /export (async )?(function|const|let) action\b|export \{[^}]*\baction\b[^}]*\}/.test(
        readFileSync(path.join(dir, file), "utf8"),
      ),
    )
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
