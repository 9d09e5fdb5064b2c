import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Gateway } from "../../devstack/gateway/server.ts";
import { gatewayWith, onDevstack } from "./fixtures/own-gateway.ts";
import { recordingClient } from "./fixtures/recording-client.ts";
import { adminSql, env, reloadSchema } from "./fixtures/rest-env.ts";

/** Schemas chosen by Accept-Profile / Content-Profile among `[api] schemas` of supabase/config.toml. */
const sql = adminSql();
const { db, lastHeaders } = recordingClient();

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists public.conf_schema_items;
    create table public.conf_schema_items (id int primary key, note text);
    insert into public.conf_schema_items values (1, 'public');
  `);
  await reloadSchema(sql, () => db.from("conf_schema_items").select("id").limit(1));
});

afterAll(async () => {
  await sql.unsafe("drop table if exists public.conf_schema_items");
  await sql.end();
});

describe("profiles", () => {
  it("answers 406 PGRST106 for a schema that is not exposed, for reads and writes", async () => {
    const read = await db.schema("auth").from("users").select("id");
    expect(read.status).toBe(406);
    expect(read.error?.code).toBe("PGRST106");
    const write = await db.schema("auth").from("users").update({ email: "x@example.com" }).eq("id", "none");
    expect(write.status).toBe(406);
    expect(write.error?.code).toBe("PGRST106");
    const call = await db.schema("private").rpc("anything");
    expect(call.error?.code).toBe("PGRST106");
  });

  it("answers an exposed schema chosen by profile, naming it in Content-Profile", async () => {
    const { data, error } = await db.schema("public").from("conf_schema_items").select("note");
    expect(error).toBeNull();
    expect(data).toEqual([{ note: "public" }]);
    expect(lastHeaders().get("content-profile")).toBe("public");
  });

  it("reads Accept-Profile for reads and Content-Profile for writes only, as PostgREST does", async () => {
    const read = await db.from("conf_schema_items").select("note").setHeader("Content-Profile", "auth");
    expect(read.error).toBeNull();
    expect(read.data).toEqual([{ note: "public" }]);
    const write = await db
      .from("conf_schema_items")
      .update({ note: "public" })
      .eq("id", 1)
      .setHeader("Accept-Profile", "auth");
    expect(write.error).toBeNull();
  });
});

// The repository exposes only `public`; a gateway of this file's own lists one more schema, as a project may.
describe.skipIf(!onDevstack)("a second schema in [api] schemas", () => {
  const extra = "conformance_extra";
  let own: { gateway: Gateway; url: string };
  let extraDb: SupabaseClient;
  let extraHeaders: () => Headers;

  beforeAll(async () => {
    await sql.unsafe(`
      create schema if not exists ${extra};
      grant usage on schema ${extra} to anon, authenticated, service_role;
      create table if not exists ${extra}.conf_schema_items (id int primary key, note text);
      grant select, insert, update on ${extra}.conf_schema_items to service_role;
      delete from ${extra}.conf_schema_items;
      insert into ${extra}.conf_schema_items values (1, '${extra}');
    `);
    own = await gatewayWith({ schemas: `["public", "${extra}"]` });
    ({ db: extraDb, lastHeaders: extraHeaders } = recordingClient(env.serviceRoleKey, own.url));
  });

  afterAll(async () => {
    await own?.gateway.close();
    await sql.unsafe(`drop schema if exists ${extra} cascade`);
  });

  it("reads and writes it by profile, naming it in Content-Profile, and still refuses unlisted ones", async () => {
    const read = await extraDb.schema(extra).from("conf_schema_items").select("note");
    expect(read.error).toBeNull();
    expect(read.data).toEqual([{ note: extra }]);
    expect(extraHeaders().get("content-profile")).toBe(extra);
    const write = await extraDb
      .schema(extra)
      .from("conf_schema_items")
      .update({ note: "changed" })
      .eq("id", 1)
      .select("note");
    expect(write.error).toBeNull();
    expect(write.data).toEqual([{ note: "changed" }]);
    const publicRead = await extraDb.from("conf_schema_items").select("note");
    expect(publicRead.data).toEqual([{ note: "public" }]);
    const unlisted = await extraDb.schema("auth").from("users").select("id");
    expect(unlisted.error?.code).toBe("PGRST106");
  });
});
