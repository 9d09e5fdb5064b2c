// `[api] max_rows` (PostgREST's db-max-rows): every read answers at most that many rows per level, silently,
// whatever limit or range the client asks for; an exact count still counts every row; writes are not capped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, apiMaxRows, env, rawRest, reloadSchema, serviceClient } from "./fixtures/rest-env.ts";

const sql = adminSql();
const db = serviceClient();
const serviceAuth = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };
const maxRows = apiMaxRows();
const total = maxRows + 1;

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_rows_items, conf_rows_owners cascade;
    drop function if exists conf_rows_all();
    create table conf_rows_owners (id int primary key);
    create table conf_rows_items (id int primary key, owner_id int references conf_rows_owners (id), flag boolean);
    insert into conf_rows_owners values (1);
    insert into conf_rows_items select n, 1, false from generate_series(1, ${total}) as n;
    create function conf_rows_all() returns setof conf_rows_items language sql stable as
      'select * from conf_rows_items';
  `);
  await reloadSchema(sql, () => db.rpc("conf_rows_all").limit(1));
});

afterAll(async () => {
  await sql.unsafe(
    "drop table if exists conf_rows_items, conf_rows_owners cascade; drop function if exists conf_rows_all()",
  );
  await sql.end();
});

describe("max_rows", () => {
  it(`caps a read of ${total} rows at ${maxRows}`, async () => {
    const { data, error, status } = await db.from("conf_rows_items").select("id").order("id");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toHaveLength(maxRows);
    expect(data!.at(-1)).toEqual({ id: maxRows });
  });

  it("caps an explicit range, limit or Range header that reaches beyond it", async () => {
    const ranged = await db
      .from("conf_rows_items")
      .select("id")
      .order("id")
      .range(0, total + 10);
    expect(ranged.data).toHaveLength(maxRows);
    const limited = await rawRest(`/conf_rows_items?select=id&order=id&limit=${total}`, { headers: serviceAuth });
    expect(limited.body).toHaveLength(maxRows);
    expect(limited.headers.get("content-range")).toBe(`0-${maxRows - 1}/*`);
    const header = await rawRest("/conf_rows_items?select=id&order=id", {
      headers: { ...serviceAuth, Range: `0-${total + 10}`, "Range-Unit": "items" },
    });
    expect(header.body).toHaveLength(maxRows);
  });

  it("still reports the true total with count=exact, as a partial response", async () => {
    const { data, count, status } = await db.from("conf_rows_items").select("id", { count: "exact" }).order("id");
    expect(data).toHaveLength(maxRows);
    expect(count).toBe(total);
    expect(status).toBe(206);
    const raw = await rawRest("/conf_rows_items?select=id&order=id", {
      headers: { ...serviceAuth, Prefer: "count=exact" },
    });
    expect(raw.headers.get("content-range")).toBe(`0-${maxRows - 1}/${total}`);
  });

  it("answers the rest to a range starting past the cap", async () => {
    const { data, error } = await db
      .from("conf_rows_items")
      .select("id")
      .order("id")
      .range(maxRows, maxRows + 9);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: total }]);
  });

  it("caps an embedded list and a function's result set too", async () => {
    const { data } = await db.from("conf_rows_owners").select("id, conf_rows_items(id)").eq("id", 1).single();
    expect(data!.conf_rows_items).toHaveLength(maxRows);
    const rpc = await db.rpc("conf_rows_all").select("id");
    expect(rpc.error).toBeNull();
    expect(rpc.data).toHaveLength(maxRows);
  });

  it("does not cap the representation a write returns", async () => {
    const { data, error } = await db.from("conf_rows_items").update({ flag: true }).gt("id", 0).select("id");
    expect(error).toBeNull();
    expect(data).toHaveLength(total);
  });
});
