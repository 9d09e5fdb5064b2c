import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminSql,
  env,
  loggedStatementsContaining,
  mintJwt,
  rawRest,
  reloadSchema,
  serviceClient,
} from "./fixtures/rest-env.ts";

const sql = adminSql();
const db = serviceClient();
const runId = randomBytes(4).toString("hex");
const markers: string[] = [];

/** A fresh marker for one hostile payload; none may ever show up in a statement PostgreSQL logs. */
function marker(): string {
  const m = `hostile${runId}m${markers.length}`;
  markers.push(m);
  return m;
}

const serviceAuth = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };

interface ErrorBody {
  code: string;
  message: string;
  details: unknown;
  hint: unknown;
}

/** Sends a raw request and checks it is refused with a 4xx PostgREST-style error body. */
async function refused(path: string, init: Omit<RequestInit, "headers"> & { headers?: Record<string, string> } = {}) {
  const res = await rawRest(path, { ...init, headers: { ...serviceAuth, ...(init.headers ?? {}) } });
  expect(res.status, `${path} → ${res.text}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${path} → ${res.text}`).toBeLessThan(500);
  const body = res.body as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(["code", "details", "hint", "message"]);
  expect(typeof body.code).toBe("string");
  expect(typeof body.message).toBe("string");
  return { status: res.status, body };
}

/** conf_hostile_chain_0 → conf_hostile_chain_1 → … → conf_hostile_chain_9, each row pointing at the next table's. */
const chainLength = 10;
const chain = Array.from({ length: chainLength }, (_, i) => `conf_hostile_chain_${i}`);

/** `conf_hostile_chain_1(conf_hostile_chain_2(…(id)))`: an embedding `levels` deep below conf_hostile_chain_0. */
function chainSelect(levels: number): string {
  let select = "id";
  for (let i = levels; i >= 1; i--) select = `${chain[i]}(${select})`;
  return select;
}

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_hostile_t cascade;
    create table conf_hostile_t (id int primary key, name text, meta jsonb);
    insert into conf_hostile_t values (1, 'one', '{"a":1}'), (2, 'two', null);
  `);
  for (let i = chainLength - 1; i >= 0; i--) {
    const next = i + 1 < chainLength ? `, next_id int references ${chain[i + 1]} (id)` : "";
    await sql.unsafe(`drop table if exists ${chain[i]} cascade; create table ${chain[i]} (id int primary key${next});`);
    await sql.unsafe(`insert into ${chain[i]} values (1${i + 1 < chainLength ? ", 1" : ""})`);
  }
  await reloadSchema(sql, () => db.from("conf_hostile_t").select("id").limit(1));
});

afterAll(async () => {
  await sql.unsafe("drop table if exists conf_hostile_t cascade");
  for (const table of chain) await sql.unsafe(`drop table if exists ${table} cascade`);
  await sql.end();
});

describe("malformed requests", () => {
  it("refuses malformed select strings with 400 PGRST100", async () => {
    for (const select of ["id,(", "id,conf_hostile_t(", "id::", "id,,name", "a:b:c", "id)"]) {
      const { status, body } = await refused(`/conf_hostile_t?select=${encodeURIComponent(select)}`);
      expect(status).toBe(400);
      expect(body.code).toBe("PGRST100");
      expect(body.message).toContain("failed to parse select parameter");
    }
  });

  it("refuses malformed filters, logic trees, order and limits with 400 PGRST100", async () => {
    for (const query of [
      "id=1",
      "id=eq",
      "id=in.1,2",
      "id=is.maybe",
      "or=id.eq.1",
      "or=(id.eq.1",
      "order=id.sideways",
      "limit=-1",
      "offset=x",
    ]) {
      const { status, body } = await refused(`/conf_hostile_t?${query}`);
      expect(status).toBe(400);
      expect(body.code).toBe("PGRST100");
      expect(body.message).toMatch(/^"failed to parse /);
    }
  });

  it("refuses unknown tables, columns and functions", async () => {
    expect((await refused("/conf_hostile_nope")).body.code).toBe("PGRST205");
    expect((await refused("/conf_hostile_t?select=nope")).body.code).toBe("42703");
    expect((await refused("/rpc/conf_hostile_nope", { method: "POST", body: "{}" })).body.code).toBe("PGRST202");
  });

  it("refuses invalid JSON (400 PGRST102) and oversized bodies (413)", async () => {
    for (const body of ["{", "nope", '{"id": 1,}', "[1, 2]"]) {
      const res = await refused("/conf_hostile_t", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json" },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("PGRST102");
    }
    const huge = JSON.stringify({
      id: 3,
      name: "x".repeat(Number(process.env.GATEWAY_MAX_BODY_BYTES ?? 1024 * 1024) + 10),
    });
    const res = await rawRest("/conf_hostile_t", {
      method: "POST",
      body: huge,
      headers: { ...serviceAuth, "Content-Type": "application/json" },
    });
    expect(res.status).toBe(413);
  });

  it("refuses forged tokens: alg none, another secret, tampered claims", async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const none = `${enc({ alg: "none", typ: "JWT" })}.${enc({ role: "service_role" })}.`;
    const other = mintJwt({ role: "service_role" }, "x".repeat(40));
    const [h, , s] = mintJwt({ role: "anon" }).split(".");
    const tampered = `${h}.${enc({ role: "service_role" })}.${s}`;
    for (const token of [none, other, tampered]) {
      const res = await rawRest("/conf_hostile_t", { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect((res.body as ErrorBody).code).toBe("PGRST301");
    }
  });
});

describe("requests shaped to exhaust the parser, the planner or PostgreSQL's stack", () => {
  it("refuses a select of 'a(' repeated 3,000 or 7,000 times, open or closed, with 400 PGRST100", async () => {
    for (const select of ["a(".repeat(3000), "a(".repeat(7000), "a(".repeat(3000) + ")".repeat(3000)]) {
      const { status, body } = await refused(`/conf_hostile_t?select=${select}`);
      expect(status).toBe(400);
      expect(body.code).toBe("PGRST100");
      expect(body.message).toContain("failed to parse select parameter");
    }
  });

  it("embeds 8 levels deep and refuses a 9th with 400 PGRST100", async () => {
    const eight = await db.from(chain[0]!).select(chainSelect(8));
    expect(eight.error).toBeNull();
    expect(eight.data).toHaveLength(1);
    const { status, body } = await refused(`/${chain[0]}?select=${encodeURIComponent(chainSelect(9))}`);
    expect(status).toBe(400);
    expect(body.code).toBe("PGRST100");
    expect(body.details).toBe("embedded resources are nested deeper than 8 levels");
  });

  it("refuses more than 32 embedded resources and more than 1,000 items in one select", async () => {
    const embeds = Array.from({ length: 33 }, (_, i) => `e${i}:${chain[1]}(id)`).join(",");
    const tooMany = await refused(`/${chain[0]}?select=${encodeURIComponent(embeds)}`);
    expect(tooMany.body).toMatchObject({ code: "PGRST100", details: "more than 32 embedded resources" });
    const wide = await refused(`/conf_hostile_t?select=${Array(1001).fill("id").join(",")}`);
    expect(wide.body).toMatchObject({ code: "PGRST100", details: "more than 1000 items in one level" });
    const within = await db.from(chain[0]!).select(embeds.replace(/,e32:[^,]*$/, ""));
    expect(within.error).toBeNull();
  });

  it("refuses an or=( logic tree nested 2,000 deep with 400 PGRST100", async () => {
    const closed = "(" + "or(".repeat(2000) + "id.eq.1" + ")".repeat(2001);
    for (const tree of [closed, "(".repeat(2000)]) {
      const { status, body } = await refused(`/conf_hostile_t?or=${encodeURIComponent(tree)}`);
      expect(status).toBe(400);
      expect(body.code).toBe("PGRST100");
      expect(body.message).toContain("failed to parse logic tree");
    }
    const shallow = await db.from("conf_hostile_t").select("id").or("id.eq.1,and(id.eq.2,or(id.eq.3,id.eq.4))");
    expect(shallow.data).toEqual([{ id: 1 }]);
  });

  it("refuses a JSON body nested 50,000 levels (PostgreSQL's 54001) with 400 PGRST102, for tables and functions", async () => {
    const deepObject = '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000);
    const deepArray = "[".repeat(50_000) + "]".repeat(50_000);
    for (const [path, body] of [
      ["/conf_hostile_t", `{"id": 9, "meta": ${deepObject}}`],
      ["/conf_hostile_t", deepArray],
      ["/conf_hostile_t?id=eq.1", `{"meta": ${deepObject}}`],
      ["/rpc/conf_hostile_nope", `{"a": ${deepArray}}`],
    ] as const) {
      const method = path.includes("id=eq") ? "PATCH" : "POST";
      const res = await refused(path, { method, body, headers: { "Content-Type": "application/json" } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("PGRST102");
    }
    const { data } = await db.from("conf_hostile_t").select("id, meta").order("id");
    expect(data).toEqual([
      { id: 1, meta: { a: 1 } },
      { id: 2, meta: null },
    ]);
  });

  it("refuses NUL characters in filter values and bodies with a 4xx", async () => {
    await refused("/conf_hostile_t?name=eq.a%00b");
    await refused("/conf_hostile_t", {
      method: "POST",
      body: JSON.stringify({ id: 7, meta: { k: "a\u0000b" } }),
      headers: { "Content-Type": "application/json" },
    });
  });
});

describe("tokens with hostile claims", () => {
  it("refuses a token whose exp is not a number (it would never expire) with 401 PGRST303", async () => {
    const later = Math.floor(Date.now() / 1000) + 600;
    for (const exp of [String(later), "never", { at: later }, [later], true]) {
      const token = mintJwt({ role: "service_role", exp });
      const res = await rawRest("/conf_hostile_t", { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, JSON.stringify(exp)).toBe(401);
      expect((res.body as ErrorBody).code).toBe("PGRST303");
    }
    const fine = mintJwt({ role: "service_role", exp: later });
    expect((await rawRest("/conf_hostile_t", { headers: { Authorization: `Bearer ${fine}` } })).status).toBe(200);
  });

  it("refuses roles other than anon, authenticated and service_role, even those authenticator may become", async () => {
    for (const role of ["authenticator", "none", "postgres", "supabase_auth_admin", "rule_executor"]) {
      const res = await rawRest("/conf_hostile_t", { headers: { Authorization: `Bearer ${mintJwt({ role })}` } });
      expect(res.status, role).toBe(403);
      expect(res.body, role).toMatchObject({ code: "42501", message: `permission denied to set role "${role}"` });
    }
    const unknown = await rawRest("/conf_hostile_t", {
      headers: { Authorization: `Bearer ${mintJwt({ role: "conf_hostile_nobody" })}` },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: "22023", message: 'role "conf_hostile_nobody" does not exist' });
  });
});

describe("SQL injection attempts", () => {
  it("treats injected filter values as data", async () => {
    const m = marker();
    const values = [`x'); drop table conf_hostile_t; --${m}`, `1 or 1=1 ${m}`, `"${m}" ; select pg_sleep(1)`];
    for (const value of values) {
      const { data, error } = await db.from("conf_hostile_t").select("id").eq("name", value);
      expect(error).toBeNull();
      expect(data).toEqual([]);
    }
    const { data } = await db
      .from("conf_hostile_t")
      .select("id")
      .in("name", [`a","b`, `') or true --${m}`]);
    expect(data).toEqual([]);
    const like = await db.from("conf_hostile_t").select("id").like("name", `%' or '1'='1${m}`);
    expect(like.data).toEqual([]);
    const json = await db.from("conf_hostile_t").select("id").eq(`meta->>a'${m}`, "1");
    expect(json.error).toBeNull();
    expect(json.data).toEqual([]);
  });

  it("refuses injected identifiers in filters, select, order, embeds, casts and aliases", async () => {
    const paths = [
      (m: string) => `/conf_hostile_t?${encodeURIComponent(`id" = 1 or "${m}`)}=eq.1`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`id,"${m}" from pg_shadow --`)}`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`id,(select 1 ${m})`)}`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`id::text from pg_shadow --${m}`)}`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`x"${m}:id`)}`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`id,${m}"x(*)`)}`,
      (m: string) => `/conf_hostile_t?select=${encodeURIComponent(`id,conf_hostile_t!${m}(*)`)}`,
      (m: string) => `/conf_hostile_t?order=${encodeURIComponent(`id;drop table conf_hostile_t;--${m}`)}`,
      (m: string) => `/conf_hostile_t?order=${encodeURIComponent(`(select ${m})`)}`,
      (m: string) => `/conf_hostile_t?or=${encodeURIComponent(`(id.eq.1,${m}" or 1=1.eq.2)`)}`,
      (m: string) => `/conf_hostile_t?name=${encodeURIComponent(`fts(english'${m}).x`)}`,
      (m: string) => `/conf_hostile_t?limit=${encodeURIComponent(`1;select ${m}`)}`,
      (m: string) => `/conf_hostile_t${encodeURIComponent(`;drop table x;--${m}`)}`,
      (m: string) => `/${encodeURIComponent(`conf_hostile_t" cascade;--${m}`)}`,
    ];
    for (const path of paths) await refused(path(marker()));
  });

  it("refuses injected identifiers in bodies, columns, on_conflict and RPC arguments", async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      refused(path, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", ...headers },
      });
    await post("/conf_hostile_t", { id: 5, [`name") values (1); --${marker()}`]: "x" });
    await post(`/conf_hostile_t?columns=${encodeURIComponent(`id,"name"") values (9);--${marker()}`)}`, [{ id: 9 }]);
    await post(
      `/conf_hostile_t?on_conflict=${encodeURIComponent(`id) do nothing; --${marker()}`)}`,
      { id: 1 },
      {
        Prefer: "resolution=merge-duplicates",
      },
    );
    await refused("/conf_hostile_t?id=eq.1", {
      method: "PATCH",
      body: JSON.stringify({ [`name" = 'x', "id`]: marker() }),
      headers: { "Content-Type": "application/json" },
    });
    await post(`/rpc/${encodeURIComponent(`pg_sleep"(1);--${marker()}`)}`, {});
    await post("/rpc/conf_hostile_nope", { [`a" := 1); select 1; --${marker()}`]: 1 });
  });

  it("leaves the table intact", async () => {
    const { data } = await db.from("conf_hostile_t").select("id").order("id");
    expect(data).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("never lets a hostile payload into a statement PostgreSQL executes", async () => {
    if (!env.postgresLog) return; // no server log to inspect (a real Supabase project)
    await new Promise((r) => setTimeout(r, 300));
    // The log is really being read: the first marker travelled as a bound value.
    expect(readFileSync(env.postgresLog, "utf8")).toContain(markers[0]);
    for (const m of markers) expect(loggedStatementsContaining(m), m).toEqual([]);
  });
});
