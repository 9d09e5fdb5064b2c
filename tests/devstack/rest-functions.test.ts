import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingClient } from "./fixtures/recording-client.ts";
import { adminSql, env, rawRest, reloadSchema } from "./fixtures/rest-env.ts";

/** Functions as PostgREST 12 calls them: overloads, single unnamed parameters, counts. */
const sql = adminSql();
const { db, lastHeaders } = recordingClient();
const serviceAuth = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };

beforeAll(async () => {
  await sql.unsafe(`
    create or replace function conf_fn_pick(a int) returns text language sql as $$ select 'int' $$;
    create or replace function conf_fn_pick(a text) returns text language sql as $$ select 'text' $$;
    create or replace function conf_fn_opt(a int, b int default 0) returns text language sql as $$ select 'b' $$;
    create or replace function conf_fn_opt(a int, c text default '') returns text language sql as $$ select 'c' $$;
    create or replace function conf_fn_json(json) returns json language sql as $$ select json_build_object('got', $1) $$;
    create or replace function conf_fn_text(text) returns text language sql as $$ select 'got ' || $1 $$;
    create or replace function conf_fn_bytes(bytea) returns int language sql as $$ select length($1) $$;
    create or replace function conf_fn_answer() returns int language sql as $$ select 42 $$;
    create or replace function conf_fn_nothing() returns void language sql as $$ select $$;
  `);
  await reloadSchema(sql, () => db.rpc("conf_fn_answer"));
});

afterAll(async () => {
  await sql.unsafe(`
    drop function if exists conf_fn_pick(int), conf_fn_pick(text), conf_fn_opt(int, int), conf_fn_opt(int, text),
      conf_fn_json(json), conf_fn_text(text), conf_fn_bytes(bytea), conf_fn_answer(), conf_fn_nothing();
  `);
  await sql.end();
});

describe("overloads", () => {
  it("answers 300 PGRST203 when two overloads take the same argument names", async () => {
    const { error, status } = await db.rpc("conf_fn_pick", { a: 1 });
    expect(status).toBe(300);
    // PostgREST lists the candidates in its schema cache's order.
    expect(error?.message).toMatch(
      /^Could not choose the best candidate function between: public\.conf_fn_pick\(a => (integer|text)\), public\.conf_fn_pick\(a => (integer|text)\)$/,
    );
    expect(error).toMatchObject({
      code: "PGRST203",
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    });
  });

  it("answers 300 PGRST203 when defaults make two overloads fit, and calls the one the arguments name", async () => {
    const ambiguous = await db.rpc("conf_fn_opt", { a: 1 });
    expect(ambiguous.error?.code).toBe("PGRST203");
    expect(ambiguous.status).toBe(300);
    const chosen = await db.rpc("conf_fn_opt", { a: 1, c: "x" });
    expect(chosen.error).toBeNull();
    expect(chosen.data).toBe("c");
  });
});

describe("single unnamed parameters", () => {
  it("passes a JSON body whole to a single unnamed json parameter", async () => {
    const { data, error } = await db.rpc("conf_fn_json", { any: [1, 2] });
    expect(error).toBeNull();
    expect(data).toEqual({ got: { any: [1, 2] } });
  });

  it("passes a text/plain body to a single unnamed text parameter", async () => {
    // supabase-js always sends JSON to functions, so this is a plain request.
    const res = await rawRest("/rpc/conf_fn_text", {
      method: "POST",
      headers: { ...serviceAuth, "Content-Type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("got hello");
  });

  it("passes an application/octet-stream body to a single unnamed bytea parameter", async () => {
    const res = await rawRest("/rpc/conf_fn_bytes", {
      method: "POST",
      headers: { ...serviceAuth, "Content-Type": "application/octet-stream" },
      body: new Uint8Array([1, 2, 3, 0, 5]),
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe(5);
  });

  it("answers 404 PGRST202 for a text body when no function takes a single unnamed text parameter", async () => {
    const res = await rawRest("/rpc/conf_fn_answer", {
      method: "POST",
      headers: { ...serviceAuth, "Content-Type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: "PGRST202",
      message: "Could not find the function public.conf_fn_answer in the schema cache",
      details:
        "Searched for the function public.conf_fn_answer with a single unnamed text parameter, but no matches were found in the schema cache.",
      hint: null,
    });
  });
});

describe("counts", () => {
  it("counts a scalar result as one row: count=exact sends Content-Range 0-0/1", async () => {
    const { data, count, error } = await db.rpc("conf_fn_answer", {}, { count: "exact" });
    expect(error).toBeNull();
    expect(data).toBe(42);
    expect(count).toBe(1);
    expect(lastHeaders().get("content-range")).toBe("0-0/1");
    expect(lastHeaders().get("preference-applied")).toBe("count=exact");
  });

  it("sends Content-Range 0-0/* for a scalar result without a count", async () => {
    const { error } = await db.rpc("conf_fn_answer");
    expect(error).toBeNull();
    expect(lastHeaders().get("content-range")).toBe("0-0/*");
  });

  it("answers 204 for a void function", async () => {
    const { error, status } = await db.rpc("conf_fn_nothing");
    expect(error).toBeNull();
    expect(status).toBe(204);
  });
});
