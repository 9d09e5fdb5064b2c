import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionRoutes,
  appEnv,
  createTestUser,
  manifestRoutes,
  routeUrlOf,
  signInOverHttp,
  type ManifestRoute,
} from "../support/app-http";
import { signIn } from "../support/auth";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture";
import { startAppWithFailingApi } from "../support/failing-app";

const { appUrl } = appEnv();
const evil = "https://attacker.invalid";
let user: Awaited<ReturnType<typeof createTestUser>>;
let routes: ManifestRoute[];

beforeAll(async () => {
  user = await createTestUser("security-http");
  routes = await manifestRoutes();
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

/** The one route whose responses the app's own pages may frame: a PDF evidence file previewed in the side panel. */
const framedByApp = "routes/cycle-reports.$id_.testing_.evidence.$evidenceId_.pdf";

/** `framedBy: "self"` only for framedByApp's path; every other response may be framed by nothing. */
function expectSecurityHeaders(response: Response, what: string, framedBy: "none" | "self" = "none") {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(csp.match(/frame-ancestors [^;]*/g), what).toEqual([`frame-ancestors '${framedBy}'`]);
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
    frame: framedBy === "self" ? "SAMEORIGIN" : "DENY",
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

  it("are on every route of the app, pages and downloads alike, as each role sees them", async () => {
    // A cycle report with drawn samples, so the sampling page and its CSV download answer with content.
    const sampling: SamplingFixture = await createSamplingFixture(db, { rows: 20 });
    const tester = await signIn(sampling.testerEmail);
    const created = await tester.client.rpc("create_version", { p_phase_id: sampling.phaseId });
    expect(created.error).toBeNull();
    const drawn = await tester.client.rpc("run_sample_selection", {
      p_version_id: created.data.id,
      p_data_source_id: sampling.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "tester_set", size: 5, reason: "headers test" },
      p_amount_column: "amount",
      p_seed: "headers",
    });
    expect(drawn.error).toBeNull();
    const values = (param: string) =>
      ({ id: String(sampling.cycleReportId), phase: "data_request", "*": "no-such-page" })[param] ?? randomUUID();

    const admin = await signInOverHttp("admin@example.com", "demo-password");
    const seen: Record<string, string> = {};
    for (const route of routes.filter((r) => r.hasLoader)) {
      // requests/:id is a request's page: an unknown id answers the app's 404 page.
      const url = routeUrlOf(route, values);
      const response = await fetch(`${appUrl}${url}`, { headers: { cookie: admin.cookie }, redirect: "manual" });
      expectSecurityHeaders(response, `${route.id} (${url})`, route.id === framedByApp ? "self" : "none");
      seen[route.id] = `${response.status} ${response.headers.get("content-type")?.split(";")[0]}`;
    }
    // The pages built so far render for an admin, the downloads download, unknown things are the 404 page.
    expect(seen).toMatchObject({
      "routes/_index": "200 text/html",
      "routes/cycle-reports.$id": "200 text/html",
      "routes/cycle-reports.$id_.planning": "200 text/html",
      "routes/cycle-reports.$id_.scoping": "200 text/html",
      "routes/cycle-reports.$id_.requests.$phase": "200 text/html",
      "routes/cycle-reports.$id_.profiling": "200 text/html",
      "routes/cycle-reports.$id_.sampling": "200 text/html",
      "routes/cycle-reports.$id_.sampling_.samples[.csv]": "200 text/csv",
      "routes/cycle-reports.$id_.testing": "200 text/html",
      "routes/cycle-reports.$id_.observations": "200 text/html",
      "routes/cycle-reports.$id_.report": "200 text/html",
      "routes/audit-trail": "200 text/html",
      "routes/llm-usage": "200 text/html",
      "routes/sign-in-events": "200 text/html",
      "routes/requests.$id": "404 text/html",
      "routes/requests.$id_.files.$fileId": "404 text/plain",
      [framedByApp]: "404 text/plain",
      "routes/$": "404 text/html",
    });

    // A data provider's home (their requests), and a page refused to a role (403).
    const provider = await signInOverHttp("provider@example.com", "demo-password");
    const home = await fetch(`${appUrl}/`, { headers: { cookie: provider.cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("data-testid");
    expectSecurityHeaders(home, "provider home");
    const testerCookie = (await signInOverHttp(sampling.testerEmail, "demo-password")).cookie;
    const forbidden = await fetch(`${appUrl}/sign-in-events`, { headers: { cookie: testerCookie } });
    expect(forbidden.status).toBe(403);
    expectSecurityHeaders(forbidden, "403 page");
  });

  it("are on the app's error page (500) and on errors answered before the app (a malformed URL)", async () => {
    const failing = await startAppWithFailingApi({ TRUST_PROXY: "1" });
    try {
      const { cookie } = await signInOverHttp(user.email, user.password, failing.url);
      const broken = await fetch(`${failing.url}/`, { headers: { cookie } });
      expect(broken.status).toBe(500);
      expect(broken.headers.get("content-type")).toMatch(/^text\/html/);
      expectSecurityHeaders(broken, "500 page");
      // Behind a trusted TLS-terminating proxy (TRUST_PROXY), a request that arrived over HTTPS gets HSTS.
      const overHttps = await fetch(`${failing.url}/login`, { headers: { "x-forwarded-proto": "https" } });
      expect(overHttps.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      await failing.stop();
    }
    // Without TRUST_PROXY, a client saying it came over HTTPS is not believed.
    const claimed = await fetch(`${appUrl}/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(claimed.headers.get("strict-transport-security")).toBeNull();
    const malformed = await fetch(`${appUrl}/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expectSecurityHeaders(malformed, "malformed URL");
  });

  it("let the app frame the PDF preview's path and nothing else: its neighbours and look-alikes keep 'none'", async () => {
    const admin = await signInOverHttp("admin@example.com", "demo-password");
    const id = randomUUID();
    const framable = [`/cycle-reports/1/testing/evidence/${id}/pdf`, `/cycle-reports/1/testing/evidence/${id}/pdf?x=1`];
    const not = [
      `/cycle-reports/1/testing/evidence/${id}`,
      `/cycle-reports/1/testing/evidence/${id}?inline=1`,
      `/cycle-reports/1/testing/evidence/${id}/pdf/`,
      `/cycle-reports/1/testing/evidence/${id}/pdf/x`,
      `/cycle-reports/1/testing/evidence/not-a-uuid/pdf`,
      `/cycle-reports/1/testing/evidence/${id}/%70df`,
      `/x/cycle-reports/1/testing/evidence/${id}/pdf`,
      `/cycle-reports/1/testing`,
    ];
    for (const [urls, framedBy] of [
      [framable, "self"],
      [not, "none"],
    ] as const) {
      for (const url of urls) {
        const response = await fetch(`${appUrl}${url}`, { headers: { cookie: admin.cookie }, redirect: "manual" });
        expectSecurityHeaders(response, url, framedBy);
      }
    }
    // The preview's frame needs nothing more from the page: frame-src falls back to default-src 'self'.
    const page = await fetch(`${appUrl}/login`);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/frame-src|child-src/);
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
  const urlOf = (route: ManifestRoute) => routeUrlOf(route, (param) => (param === "phase" ? "data_request" : "1"));

  it("finds every action route the running app has, the same ones its route files declare", () => {
    const withAction = routes.filter((r) => r.hasAction).map((r) => r.id);
    expect(withAction.sort()).toEqual(
      actionRoutes()
        .map((r) => `routes/${r.file.replace(/\.tsx?$/, "")}`)
        .sort(),
    );
    expect(routes.filter((r) => r.hasAction).map(urlOf)).toEqual(
      expect.arrayContaining([
        "/login",
        "/logout",
        "/cycle-reports/1",
        "/cycle-reports/1/planning",
        "/cycle-reports/1/planning/uploads",
        "/cycle-reports/1/scoping",
        "/cycle-reports/1/requests/data_request",
        "/cycle-reports/1/profiling",
        "/cycle-reports/1/sampling",
        "/cycle-reports/1/testing",
        "/cycle-reports/1/observations",
        "/cycle-reports/1/report",
        "/requests/1",
      ]),
    );
  });

  it("are refused with a 403 page on every route of the app, for a signed-in user too", async () => {
    const { cookie } = await signInOverHttp(user.email, user.password);
    // Every route, not only those with an action today: the rule is the server's, before any route.
    for (const url of routes.map(urlOf)) {
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
      headers: { "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
    });
    expect(logout.status).toBe(302);
  });

  it("refuse a post from the app's own site whose body is not a form with 415, on every route, never a 500", async () => {
    const { cookie } = await signInOverHttp(user.email, user.password);
    const origin = new URL(appUrl).origin;
    for (const url of routes.map(urlOf)) {
      for (const type of ["application/json", "text/plain"]) {
        const response = await fetch(`${appUrl}${url}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie, origin, "content-type": type },
          body: JSON.stringify({ intent: "start_phase", phaseId: 1 }),
        });
        expect(response.status, `${url} ${type}`).toBe(415);
        expect(await response.text()).toContain('data-reason="unsupported_media_type"');
      }
      // A CSV (the upload forms' body) or a broken multipart body sent to a page that takes forms is a 400.
      for (const type of ["text/csv", "multipart/form-data; boundary=missing"]) {
        const response = await fetch(`${appUrl}${url}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie, origin, "content-type": type },
          body: "loan_id,balance\n1,2\n",
        });
        expect(response.status, `${url} ${type}`).toBeGreaterThanOrEqual(300);
        expect(response.status, `${url} ${type}`).toBeLessThan(500);
      }
    }
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
