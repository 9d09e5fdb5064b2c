import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, mintJwt, rawRest, reloadSchema, serviceClient, userJwt } from "./fixtures/rest-env.ts";

// Supabase gives the API roles statement timeouts (anon 3 s, authenticated 8 s) and PostgREST applies a role's
// settings in every transaction it runs as that role. Outcomes are asserted, not durations: a query that would
// sleep far longer than the timeout ends with PostgREST's error, one shorter than it completes.

const sql = adminSql();
const db = serviceClient();

interface ErrorBody {
  code: string;
  message: string;
}

/** Calls the fixture function that sleeps `seconds` as the given token (the anon key when none). */
function sleepAs(seconds: number, token?: string) {
  return rawRest("/rpc/conf_timeout_sleep", {
    method: "POST",
    body: JSON.stringify({ seconds }),
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

function expectStatementTimeout(res: { status: number; body: unknown }) {
  // PostgREST maps SQLSTATE class 57 to 500 and passes the PostgreSQL error through, as Supabase answers.
  expect(res.status).toBe(500);
  expect(res.body as ErrorBody).toMatchObject({
    code: "57014",
    message: "canceling statement due to statement timeout",
  });
}

let adminId: string;

beforeAll(async () => {
  await sql.unsafe(`
    create or replace function public.conf_timeout_sleep(seconds double precision) returns int
      language sql as $$ select 1 from pg_sleep(seconds) $$;
    grant execute on function public.conf_timeout_sleep(double precision) to anon, authenticated, service_role;
  `);
  await reloadSchema(sql, () => db.rpc("conf_timeout_sleep", { seconds: 0 }));
  const [admin] = await sql<{ id: string }[]>`select id from public.profiles where app_role = 'admin' limit 1`;
  adminId = admin!.id;
});

afterAll(async () => {
  await sql.unsafe("drop function if exists public.conf_timeout_sleep(double precision)");
  await sql`notify pgrst, 'reload schema'`;
  await sql.end();
});

describe("per-role statement timeouts", () => {
  it("are set on the roles as on Supabase: anon 3 s, authenticated 8 s", async () => {
    const rows = await sql<{ role: string; config: string[] }[]>`
      select r.rolname as role, s.setconfig as config
      from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
      where r.rolname in ('anon', 'authenticated') and s.setdatabase = 0 order by 1`;
    expect(rows.map((r) => [r.role, r.config.find((c) => c.startsWith("statement_timeout="))])).toEqual([
      ["anon", "statement_timeout=3s"],
      ["authenticated", "statement_timeout=8s"],
    ]);
  });

  it("end anon's 5 s query at its 3 s timeout, while authenticated's 5 s query completes", async () => {
    const [asAnon, asUser] = await Promise.all([sleepAs(5), sleepAs(5, userJwt(adminId))]);
    expectStatementTimeout(asAnon);
    expect(asUser.status).toBe(200);
    expect(asUser.body).toBe(1);
  });

  it("end an authenticated query at 8 s instead of letting it run its 60 s", async () => {
    const started = Date.now();
    expectStatementTimeout(await sleepAs(60, userJwt(adminId)));
    expect(Date.now() - started).toBeLessThan(40_000);
  });

  it("keep one caller's slow queries from starving another's trivial read", async () => {
    // 21 slow requests from one user would hold every pooled connection (the pool has 20) while they run.
    const hog = userJwt("00000000-0000-4000-a000-00000000dead");
    const slow = Array.from({ length: 21 }, () => sleepAs(3, hog).then((res) => ({ res, at: Date.now() })));
    await new Promise((r) => setTimeout(r, 500));
    const read = await rawRest("/profiles?select=id&limit=1", {
      headers: { Authorization: `Bearer ${userJwt(adminId)}` },
    });
    const readAt = Date.now();
    expect(read.status).toBe(200);
    const finished = await Promise.all(slow);
    for (const { res } of finished) expect(res.status).toBe(200);
    // The read was answered before the first slow request ended.
    expect(readAt).toBeLessThan(Math.min(...finished.map((f) => f.at)));
  }, 60_000);

  it("leave service_role to the authenticator's own bound: a 1 s query completes", async () => {
    const res = await sleepAs(1, mintJwt({ role: "service_role" }));
    expect(res.status).toBe(200);
  });
});
