import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, anonClient, env, rawRest, reloadSchema, serviceClient } from "./fixtures/rest-env.ts";

const sql = adminSql();
const db = serviceClient();
const serviceAuth = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_rpc_items cascade;
    create table conf_rpc_items (id int primary key, name text, price numeric);
    insert into conf_rpc_items values (1, 'pen', 1.5), (2, 'ink', 4), (3, 'pad', 2.25);
    create or replace function conf_rpc_add(a int, b int default 10) returns int language sql immutable as 'select a + b';
    create or replace function conf_rpc_items_over(min_price numeric) returns setof conf_rpc_items
      language sql stable as 'select * from conf_rpc_items where price > min_price';
    create or replace function conf_rpc_first() returns conf_rpc_items language sql stable
      as 'select * from conf_rpc_items order by id limit 1';
    create or replace function conf_rpc_pairs() returns table (k text, v int) language sql stable
      as $$ select 'x', 1 union all select 'y', 2 $$;
    create or replace function conf_rpc_numbers() returns setof int language sql stable as 'select generate_series(1, 3)';
    create or replace function conf_rpc_touch(item_id int) returns void language sql volatile
      as 'update conf_rpc_items set name = name where id = item_id';
    create or replace function conf_rpc_echo(jsonb) returns jsonb language sql immutable as 'select $1';
    create or replace function conf_rpc_greet(name text) returns text language sql immutable as $$ select 'hi ' || name $$;
    create or replace function conf_rpc_greet(first text, last text) returns text language sql immutable
      as $$ select 'hello ' || first || ' ' || last $$;
    create or replace function conf_rpc_fail() returns int language plpgsql as $$
      begin raise exception using errcode = 'P0001', message = 'failed on purpose', detail = 'some detail'; end $$;
  `);
  await reloadSchema(sql, () => db.rpc("conf_rpc_fail"));
});

afterAll(async () => {
  await sql.unsafe(`
    drop function if exists conf_rpc_add, conf_rpc_items_over, conf_rpc_first, conf_rpc_pairs, conf_rpc_numbers,
      conf_rpc_touch, conf_rpc_echo, conf_rpc_fail;
    drop function if exists conf_rpc_greet(text), conf_rpc_greet(text, text);
    drop table if exists conf_rpc_items cascade;
  `);
  await sql.end();
});

describe("rpc", () => {
  it("calls a scalar function with named arguments and defaults", async () => {
    expect(await db.rpc("conf_rpc_add", { a: 1, b: 2 })).toMatchObject({ data: 3, error: null, status: 200 });
    expect((await db.rpc("conf_rpc_add", { a: 1 })).data).toBe(11);
  });

  it("calls stable functions with GET and query arguments", async () => {
    const { data, error } = await db.rpc("conf_rpc_add", { a: 5, b: 6 }, { get: true });
    expect(error).toBeNull();
    expect(data).toBe(11);
  });

  it("returns set-returning results as arrays, with select, filters, order and count", async () => {
    const { data, error, count } = await db
      .rpc("conf_rpc_items_over", { min_price: 1 }, { count: "exact" })
      .select("name")
      .neq("name", "ink")
      .order("id", { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([{ name: "pad" }, { name: "pen" }]);
    expect(count).toBe(2);
  });

  it("returns a single composite as an object, and single() on a set", async () => {
    expect((await db.rpc("conf_rpc_first")).data).toEqual({ id: 1, name: "pen", price: 1.5 });
    const one = await db.rpc("conf_rpc_items_over", { min_price: 3 }).single();
    expect(one.data).toEqual({ id: 2, name: "ink", price: 4 });
    const none = await db.rpc("conf_rpc_items_over", { min_price: 100 }).single();
    expect(none.status).toBe(406);
    expect(none.error?.code).toBe("PGRST116");
  });

  it("returns TABLE results and sets of scalars", async () => {
    expect((await db.rpc("conf_rpc_pairs").eq("k", "y")).data).toEqual([{ k: "y", v: 2 }]);
    expect((await db.rpc("conf_rpc_numbers")).data).toEqual([1, 2, 3]);
  });

  it("answers 204 for a void function", async () => {
    const { data, error, status } = await db.rpc("conf_rpc_touch", { item_id: 1 });
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
  });

  it("passes the whole body to a single unnamed jsonb parameter", async () => {
    const { data } = await db.rpc("conf_rpc_echo", { any: ["thing", 1] });
    expect(data).toEqual({ any: ["thing", 1] });
  });

  it("chooses an overload by argument names", async () => {
    expect((await db.rpc("conf_rpc_greet", { name: "ann" })).data).toBe("hi ann");
    expect((await db.rpc("conf_rpc_greet", { first: "ann", last: "lee" })).data).toBe("hello ann lee");
  });

  it("answers 405 when a volatile function writes under GET (read-only transaction)", async () => {
    const { status, error } = await db.rpc("conf_rpc_touch", { item_id: 1 }, { get: true });
    expect(status).toBe(405);
    expect(error?.code).toBe("25006");
  });

  it("answers 404 PGRST202 for unknown functions or arguments", async () => {
    const unknown = await anonClient().rpc("conf_rpc_nope", { x: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe("PGRST202");
    expect(unknown.error?.message).toBe("Could not find the function public.conf_rpc_nope(x) in the schema cache");
    const wrongArgs = await db.rpc("conf_rpc_add", { z: 1 });
    expect(wrongArgs.status).toBe(404);
    expect(wrongArgs.error?.code).toBe("PGRST202");
    expect(wrongArgs.error?.details).toBe(
      "Searched for the function public.conf_rpc_add with parameter z or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
    );
  });

  it("passes raised errors through with their detail", async () => {
    const { status, error } = await db.rpc("conf_rpc_fail");
    expect(status).toBe(400);
    expect(error).toEqual({ code: "P0001", message: "failed on purpose", details: "some detail", hint: null });
  });

  it("answers 405 PGRST101 for other methods", async () => {
    const res = await rawRest("/rpc/conf_rpc_add", { method: "PATCH", headers: serviceAuth });
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ code: "PGRST101", message: "Cannot use the PATCH method on RPC" });
  });
});
