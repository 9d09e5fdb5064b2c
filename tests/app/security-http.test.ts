import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionRoutes, appEnv, createTestUser, signInOverHttp } from "../support/app-http";

const { appUrl } = appEnv();
const evil = "https://attacker.invalid";
let user: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  user = await createTestUser("security-http");
});
afterAll(async () => {
  await user?.remove();
  await db.end();
});

const db = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });

/** The Cookie header with the stored session's access token marked as expired, so the app refreshes it. */
function withExpiredAccessToken(cookie: string): string {
  return cookie
    .split("; ")
    .map((pair) => {
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (!/-auth-token$/.test(name) || !value.startsWith("base64-")) return pair;
      const session = JSON.parse(Buffer.from(value.slice(7), "base64url").toString("utf8"));
      session.expires_at = Math.floor(Date.now() / 1000) - 60;
      return `${name}=base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
    })
    .join("; ");
}

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(
    {
      frame: response.headers.get("x-frame-options"),
      sniff: response.headers.get("x-content-type-options"),
      referrer: response.headers.get("referrer-policy"),
      permissions: response.headers.get("permissions-policy"),
      // Served over plain HTTP here: HSTS only goes out over HTTPS.
      hsts: response.headers.get("strict-transport-security"),
    },
    what,
  ).toEqual({
    frame: "DENY",
    sniff: "nosniff",
    referrer: "strict-origin-when-cross-origin",
    permissions: expect.stringContaining("camera=()"),
    hsts: null,
  });
}

describe("security headers", () => {
  it("are on every kind of response: pages, data, assets, errors and refusals", async () => {
    const login = await fetch(`${appUrl}/login`);
    const html = await login.text();
    const asset = /href="(\/build\/[^"]+\.css)"/.exec(html)![1]!;
    const responses: [string, Response][] = [
      ["login page", login],
      ["signed-out start page (redirect)", await fetch(`${appUrl}/`, { redirect: "manual" })],
      ["missing page", await fetch(`${appUrl}/no-such-page`)],
      ["route data", await fetch(`${appUrl}/login?_data=routes%2Flogin`)],
      ["built asset", await fetch(`${appUrl}${asset}`)],
      ["public file", await fetch(`${appUrl}/favicon.svg`)],
      ["refused post", await fetch(`${appUrl}/login`, { method: "POST", headers: { origin: evil } })],
    ];
    for (const [what, response] of responses) expectSecurityHeaders(response, what);
  });

  it("give each page a nonce of its own, carried by every inline script of the page", async () => {
    const pages = await Promise.all([fetch(`${appUrl}/login`), fetch(`${appUrl}/login`)]);
    const nonces = pages.map((r) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy")!)![1]);
    expect(nonces[0]).not.toBe(nonces[1]);
    const html = await pages[0]!.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonces[0]}"`);
  });
});

describe("cross-site requests", () => {
  const routes = actionRoutes();

  it("finds the app's action routes", () => {
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining(["/login", "/logout", "/cycle-reports/1", "/cycle-reports/1/planning"]),
    );
  });

  it("are refused with a 403 page on every action route, for a signed-in user too", async () => {
    const { cookie } = await signInOverHttp(user.email, user.password);
    for (const { url } of routes) {
      const forged: Record<string, string>[] = [
        { origin: evil },
        { "sec-fetch-site": "cross-site" },
        { origin: "null" },
      ];
      for (const headers of forged) {
        const response = await fetch(`${appUrl}${url}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
          body: new URLSearchParams({ intent: "start_phase", phaseId: "1", email: user.email, password: "x" }),
        });
        expect(response.status, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(response.headers.get("content-type")).toMatch(/^text\/html/);
        expect(response.headers.get("set-cookie")).toBeNull();
        expect(await response.text()).toContain('data-reason="cross_site_request"');
      }
    }
    // Nothing happened: the forged sign-out left the session signed in.
    const home = await fetch(`${appUrl}/`, { headers: { cookie }, redirect: "manual" });
    expect(home.status).toBe(200);
  });

  it("are the only refusal: the same posts from the app's own pages reach the routes", async () => {
    const origin = new URL(appUrl).origin;
    const login = await fetch(`${appUrl}/login`, {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: user.email, password: "wrong" }),
    });
    expect(login.status).toBe(401);
    const logout = await fetch(`${appUrl}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { "sec-fetch-site": "same-origin" },
    });
    expect(logout.status).toBe(302);
  });

  it("refuse methods other than POST, which no route takes", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${appUrl}/logout`, { method, headers: { origin: new URL(appUrl).origin } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
    }
  });
});

describe("one page, one session lookup", () => {
  it("refreshes an expired access token once for all the loaders of a page", async () => {
    const { cookie } = await signInOverHttp(user.email, user.password);
    const expired = withExpiredAccessToken(cookie);
    expect(expired).not.toBe(cookie);
    const before = await db`select count(*)::int as n from auth.audit_log_entries
                            where payload->>'actor_id' = ${user.id} and payload->>'action' = 'token_refreshed'`;
    // The start page runs the root loader and its own, in parallel.
    const home = await fetch(`${appUrl}/`, { headers: { cookie: expired }, redirect: "manual" });
    expect(home.status).toBe(200);
    const after = await db`select count(*)::int as n from auth.audit_log_entries
                           where payload->>'actor_id' = ${user.id} and payload->>'action' = 'token_refreshed'`;
    expect(after[0]!.n - before[0]!.n).toBe(1);
  });
});

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax and lives no longer than the 12-hour session; not Secure on localhost", async () => {
    const { setCookies } = await signInOverHttp(user.email, user.password);
    const session = setCookies.filter((c) => /^sb-[^=]+-auth-token(\.\d+)?=/.test(c) && !/^[^=]+=;/.test(c));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) {
      const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
      expect(maxAge).toBeGreaterThan(43200 - 60);
      expect(maxAge).toBeLessThanOrEqual(43200);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i);
    }
  });

  it("is Secure when the app is addressed by any other name", async () => {
    const host = "regtest.bank.example";
    const { request } = await import("node:http");
    const url = new URL(`${appUrl}/login`);
    const body = new URLSearchParams({ email: user.email, password: user.password }).toString();
    const setCookies = await new Promise<string[]>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: url.port,
          path: "/login",
          method: "POST",
          headers: {
            host,
            origin: `https://${host}`,
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.headers["set-cookie"] ?? []);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    const session = setCookies.filter((c) => /^sb-[^=]+-auth-token/.test(c));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) expect(cookie).toMatch(/; Secure/i);
  });
});
