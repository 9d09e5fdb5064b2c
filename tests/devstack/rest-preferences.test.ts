import type { PostgrestError } from "@supabase/supabase-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordingClient } from "./fixtures/recording-client.ts";
import { adminSql, reloadSchema } from "./fixtures/rest-env.ts";

/**
 * Preferences are honoured or refused, never silently ignored, as PostgREST 12 does under Supabase's
 * configuration (db-tx-end = commit, aggregates disabled).
 */
const sql = adminSql();
const { db, lastHeaders } = recordingClient();

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_pref_items cascade;
    create table conf_pref_items (
      id int primary key,
      grp text not null,
      qty int not null default 0,
      at timestamptz not null default '2026-01-15 12:00:00+00',
      note text
    );
    create or replace function conf_pref_bump(p_grp text) returns setof conf_pref_items
      language sql as $$ update conf_pref_items set qty = qty + 1 where grp = p_grp returning * $$;
  `);
  await reloadSchema(sql, () => db.from("conf_pref_items").select("id").limit(1));
});

beforeEach(async () => {
  await sql.unsafe(`
    truncate conf_pref_items;
    insert into conf_pref_items (id, grp) values (1, 'a'), (2, 'a'), (3, 'a'), (4, 'b');
  `);
});

afterAll(async () => {
  await sql.unsafe("drop table if exists conf_pref_items cascade");
  await sql.end();
});

/** supabase-js types `.maxAffected()` for PostgREST 13+ clients only; the request it sends is PostgREST 12's too. */
type Guardable = { maxAffected(rows: number): PromiseLike<{ error: PostgrestError | null; status: number }> };
const maxAffected = (builder: unknown, rows: number) => (builder as Guardable).maxAffected(rows);

const quantities = async () =>
  (await sql<{ id: number; qty: number }[]>`select id, qty from conf_pref_items order by id`).map((r) => r.qty);

describe("max-affected", () => {
  it("refuses an update touching more rows than maxAffected with 400 PGRST124 and changes nothing", async () => {
    const { error, status } = await maxAffected(db.from("conf_pref_items").update({ qty: 9 }).eq("grp", "a"), 2);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "PGRST124",
      message: "Query result exceeds max-affected preference constraint",
      details: "The query affects 3 rows",
    });
    expect(await quantities()).toEqual([0, 0, 0, 0]);
  });

  it("refuses a delete over the limit the same way", async () => {
    const { error } = await maxAffected(db.from("conf_pref_items").delete().neq("id", 0), 3);
    expect(error?.code).toBe("PGRST124");
    expect(error?.details).toBe("The query affects 4 rows");
    expect(await quantities()).toHaveLength(4);
  });

  it("applies a change within the limit and says so in Preference-Applied", async () => {
    const { error, status } = await maxAffected(db.from("conf_pref_items").update({ qty: 5 }).eq("grp", "a"), 3);
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(lastHeaders().get("preference-applied")).toBe("handling=strict, max-affected=3");
    expect(await quantities()).toEqual([5, 5, 5, 0]);
  });

  it("counts the rows a function returns", async () => {
    const { error } = await maxAffected(db.rpc("conf_pref_bump", { p_grp: "a" }), 1);
    expect(error?.code).toBe("PGRST124");
    expect(await quantities()).toEqual([0, 0, 0, 0]);
  });

  it("is not applied without handling=strict", async () => {
    const { error } = await db
      .from("conf_pref_items")
      .update({ qty: 1 })
      .eq("grp", "a")
      .setHeader("Prefer", "max-affected=1");
    expect(error).toBeNull();
    expect(lastHeaders().get("preference-applied")).toBeNull();
    expect(await quantities()).toEqual([1, 1, 1, 0]);
  });
});

describe("handling=strict", () => {
  it("refuses a preference PostgREST does not know with 400 PGRST122", async () => {
    const { error, status } = await db
      .from("conf_pref_items")
      .update({ qty: 2 })
      .eq("id", 1)
      .setHeader("Prefer", "handling=strict, return=minimal, tx=maybe, frobnicate");
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "PGRST122",
      message: "Invalid preferences given with handling=strict",
      details: "Invalid preferences: tx=maybe, frobnicate",
    });
    expect(await quantities()).toEqual([0, 0, 0, 0]);
  });

  it("refuses an unknown time zone, and without strict ignores it", async () => {
    const strict = await db
      .from("conf_pref_items")
      .select("at")
      .setHeader("Prefer", "handling=strict, timezone=Mars/Olympus");
    expect(strict.error?.code).toBe("PGRST122");
    expect(strict.error?.details).toBe("Invalid preferences: timezone=Mars/Olympus");
    const lenient = await db
      .from("conf_pref_items")
      .select("at")
      .eq("id", 1)
      .setHeader("Prefer", "timezone=Mars/Olympus");
    expect(lenient.error).toBeNull();
    expect(lastHeaders().get("preference-applied")).toBeNull();
  });
});

describe("other preferences", () => {
  it("applies timezone to timestamptz output", async () => {
    const { data, error } = await db
      .from("conf_pref_items")
      .select("at")
      .eq("id", 1)
      .single()
      .setHeader("Prefer", "timezone=America/New_York");
    expect(error).toBeNull();
    expect(data).toEqual({ at: "2026-01-15T07:00:00-05:00" });
    expect(lastHeaders().get("preference-applied")).toBe("timezone=America/New_York");
  });

  it("lists count=exact as applied on a read", async () => {
    const { count, error } = await db.from("conf_pref_items").select("id", { count: "exact" }).eq("grp", "a");
    expect(error).toBeNull();
    expect(count).toBe(3);
    expect(lastHeaders().get("preference-applied")).toBe("count=exact");
  });

  it("does not apply tx=rollback under Supabase's db-tx-end = commit: the change is committed and not listed", async () => {
    // supabase-js documents .rollback() as a dry run, but Supabase's PostgREST keeps db-tx-end = commit.
    const { error, status } = await db.from("conf_pref_items").update({ qty: 3 }).eq("id", 4).select("qty").rollback();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(lastHeaders().get("preference-applied")).toBe("return=representation");
    expect(await quantities()).toEqual([0, 0, 0, 3]);
  });
});

describe("query features", () => {
  it("refuses aggregates with 400 PGRST123, as Supabase leaves them disabled", async () => {
    for (const select of ["count()", "qty.sum()", "grp, total:qty.max()"]) {
      const { error, status } = await db.from("conf_pref_items").select(select);
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: "PGRST123", message: "Use of aggregate functions is not allowed" });
    }
  });

  it("limits an ordered update to `limit` rows", async () => {
    const { data, error } = await db
      .from("conf_pref_items")
      .update({ qty: 7 })
      .eq("grp", "a")
      .order("id", { ascending: false })
      .limit(2)
      .select("id");
    expect(error).toBeNull();
    expect(data?.map((r) => r.id).sort()).toEqual([2, 3]);
    expect(await quantities()).toEqual([0, 7, 7, 0]);
  });

  it("limits an ordered delete to `limit` rows", async () => {
    const { error } = await db.from("conf_pref_items").delete().eq("grp", "a").order("id").limit(1);
    expect(error).toBeNull();
    expect(await quantities()).toHaveLength(3);
    const [first] = await sql`select min(id) as id from conf_pref_items`;
    expect(first!.id).toBe(2);
  });

  it("refuses a limited update without an order with 400 PGRST109", async () => {
    const { error, status } = await db.from("conf_pref_items").update({ qty: 8 }).eq("grp", "a").limit(1);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "PGRST109",
      message: "A 'limit' was applied without an explicit 'order'",
      hint: "Apply an 'order' using unique column(s)",
    });
    expect(await quantities()).toEqual([0, 0, 0, 0]);
  });

  it("refuses a limited delete whose order is not unique with 400 PGRST110", async () => {
    const { error } = await db.from("conf_pref_items").delete().order("grp").limit(1);
    expect(error).toMatchObject({
      code: "PGRST110",
      message: "The maximum number of rows allowed to change was surpassed",
      details: "Results contain 3 rows changed but the maximum number allowed is 1",
    });
    expect(await quantities()).toHaveLength(4);
  });
});

describe("media types", () => {
  it("leaves null-valued keys out with stripNulls (Accept: …;nulls=stripped)", async () => {
    await sql`update conf_pref_items set note = 'n' where id = 4`;
    const { data, error } = await db
      .from("conf_pref_items")
      .select("id, note")
      .in("id", [1, 4])
      .order("id")
      .stripNulls();
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1 }, { id: 4, note: "n" }]);
    expect(lastHeaders().get("content-type")).toMatch(/^application\/vnd\.pgrst\.array\+json;nulls=stripped/);
  });

  it("answers CSV for .csv(): a header of the keys, then each row as PostgreSQL prints a record", async () => {
    await sql`update conf_pref_items set note = 'a, "quoted" note' where id = 4`;
    const { data, error } = await db.from("conf_pref_items").select("id, grp, note").in("id", [1, 4]).order("id").csv();
    expect(error).toBeNull();
    expect(data).toBe('id,grp,note\n1,a,\n4,b,"a, ""quoted"" note"');
    expect(lastHeaders().get("content-type")).toMatch(/^text\/csv/);
    const empty = await db.from("conf_pref_items").select("id").eq("id", 99).csv();
    expect(empty.data).toBe("\n");
  });
});
