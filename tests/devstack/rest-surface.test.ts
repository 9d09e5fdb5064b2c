import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayWith, onDevstack } from "./fixtures/own-gateway.ts";
import { recordingClient } from "./fixtures/recording-client.ts";
import { adminSql, env, reloadSchema } from "./fixtures/rest-env.ts";

/**
 * supabase-js features the README does not list one by one, tried as an external tool would: each gives what
 * PostgREST 12 gives under Supabase's configuration, or PostgREST's own error, never something silently
 * different. Only supabase-js, so the file can be pointed at a real project.
 */
const sql = adminSql();
const { db, lastHeaders } = recordingClient();

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_surf_kids, conf_surf_parents cascade;
    create table conf_surf_parents (
      id int primary key,
      name text not null,
      tags text[],
      doc jsonb,
      span int4range,
      words tsvector,
      score numeric
    );
    create table conf_surf_kids (
      id int primary key,
      parent_id int references conf_surf_parents (id),
      label text,
      n int
    );
    insert into conf_surf_parents values
      (1, 'alpha', array['a', 'b'], '{"x": 1, "y": {"z": "q"}}', '[1,5)', to_tsvector('english', 'the quick brown fox'), 1.5),
      (2, 'beta', array['b'], '{"x": 2}', '[5,10)', to_tsvector('english', 'lazy dog'), null),
      (3, 'Gamma', null, null, null, null, 3);
    insert into conf_surf_kids values (1, 1, 'k1', 1), (2, 1, 'k2', 2), (3, 2, 'k3', 3);
    create function conf_surf_from(p int) returns setof conf_surf_parents language sql stable
      as $$ select * from conf_surf_parents where id >= p $$;
    create function conf_surf_created(p_status text, p_headers text) returns int language plpgsql as $$
    begin
      perform set_config('response.status', p_status, true);
      perform set_config('response.headers', p_headers, true);
      return 1;
    end $$;
  `);
  await reloadSchema(sql, () => db.from("conf_surf_kids").select("id").limit(1));
});

afterAll(async () => {
  await sql.unsafe(`
    drop function if exists conf_surf_from(int);
    drop function if exists conf_surf_created(text, text);
    drop table if exists conf_surf_kids, conf_surf_parents cascade;
  `);
  await sql.end();
});

const ids = (data: unknown) => (data as { id: number }[]).map((row) => row.id);

describe("filters beyond eq and in", () => {
  it("compares with IS DISTINCT FROM, pattern lists and case-insensitive patterns", async () => {
    const distinct = await db.from("conf_surf_parents").select("id").isDistinct("score", 1.5).order("id");
    expect(ids(distinct.data)).toEqual([2, 3]);
    const all = await db.from("conf_surf_parents").select("id").likeAllOf("name", ["%a%", "%l%"]);
    expect(ids(all.data)).toEqual([1]);
    const any = await db.from("conf_surf_parents").select("id").ilikeAnyOf("name", ["g%", "b%"]).order("id");
    expect(ids(any.data)).toEqual([2, 3]);
    const quantified = await db.from("conf_surf_parents").select("id").filter("id", "eq(any)", "{1,3}").order("id");
    expect(ids(quantified.data)).toEqual([1, 3]);
    const matched = await db.from("conf_surf_parents").select("id").match({ id: 1, name: "alpha" });
    expect(ids(matched.data)).toEqual([1]);
  });

  it("filters ranges, jsonb containment and full-text search in each of its forms", async () => {
    expect(ids((await db.from("conf_surf_parents").select("id").rangeGt("span", "[2,4]")).data)).toEqual([2]);
    expect(ids((await db.from("conf_surf_parents").select("id").rangeAdjacent("span", "[10,12)")).data)).toEqual([2]);
    const overlapping = await db.from("conf_surf_parents").select("id").overlaps("span", "[4,6)").order("id");
    expect(ids(overlapping.data)).toEqual([1, 2]);
    expect(
      ids(
        (
          await db
            .from("conf_surf_parents")
            .select("id")
            .contains("doc", { y: { z: "q" } })
        ).data,
      ),
    ).toEqual([1]);
    expect(ids((await db.from("conf_surf_parents").select("id").containedBy("doc", { x: 2, w: 1 })).data)).toEqual([2]);
    const search = (query: string, type: "plain" | "phrase" | "websearch") =>
      db.from("conf_surf_parents").select("id").textSearch("words", query, { type, config: "english" });
    expect(ids((await search("quick -dog", "websearch")).data)).toEqual([1]);
    expect(ids((await search("quick brown", "phrase")).data)).toEqual([1]);
    expect(ids((await search("lazy dogs", "plain")).data)).toEqual([2]);
  });

  it("orders, limits, pages and filters an embedded resource with referencedTable", async () => {
    const limited = await db
      .from("conf_surf_parents")
      .select("id, conf_surf_kids(id)")
      .eq("id", 1)
      .order("id", { referencedTable: "conf_surf_kids", ascending: false })
      .limit(1, { referencedTable: "conf_surf_kids" });
    expect(limited.data).toEqual([{ id: 1, conf_surf_kids: [{ id: 2 }] }]);
    const paged = await db
      .from("conf_surf_parents")
      .select("id, conf_surf_kids(id)")
      .eq("id", 1)
      .order("id", { referencedTable: "conf_surf_kids" })
      .range(1, 1, { referencedTable: "conf_surf_kids" });
    expect(paged.data).toEqual([{ id: 1, conf_surf_kids: [{ id: 2 }] }]);
    const either = await db
      .from("conf_surf_parents")
      .select("id, conf_surf_kids(id)")
      .eq("id", 1)
      .or("n.eq.2,label.eq.k1", { referencedTable: "conf_surf_kids" });
    expect(either.data).toEqual([{ id: 1, conf_surf_kids: [{ id: 1 }, { id: 2 }] }]);
    const left = await db.from("conf_surf_kids").select("id, conf_surf_parents!left(name)").eq("id", 1);
    expect(left.data).toEqual([{ id: 1, conf_surf_parents: { name: "alpha" } }]);
  });
});

describe("counting", () => {
  it("counts an embedded resource with `referenced(count)`, as supabase-js documents, aggregates disabled", async () => {
    const { data, error, status } = await db.from("conf_surf_parents").select("id, conf_surf_kids(count)").order("id");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      { id: 1, conf_surf_kids: [{ count: 2 }] },
      { id: 2, conf_surf_kids: [{ count: 1 }] },
      { id: 3, conf_surf_kids: [{ count: 0 }] },
    ]);
  });

  it("counts the rows with a bare `count` column, and refuses count() as an aggregate (PGRST123)", async () => {
    const bare = await db.from("conf_surf_parents").select("count");
    expect(bare.data).toEqual([{ count: 3 }]);
    const aggregate = await db.from("conf_surf_parents").select("count()");
    expect(aggregate.status).toBe(400);
    expect(aggregate.error?.code).toBe("PGRST123");
  });

  it("counts with head requests, for tables and functions alike", async () => {
    const table = await db.from("conf_surf_parents").select("*", { count: "exact", head: true });
    expect({ status: table.status, data: table.data, count: table.count }).toEqual({
      status: 200,
      data: null,
      count: 3,
    });
    const fn = await db.rpc("conf_surf_from", { p: 2 }, { head: true, count: "exact" });
    expect({ status: fn.status, data: fn.data, count: fn.count }).toEqual({ status: 200, data: null, count: 2 });
  });
});

describe("functions read like tables", () => {
  it("filters, orders and selects the rows of a set-returning function called by GET", async () => {
    const { data } = await db
      .rpc("conf_surf_from", { p: 1 }, { get: true })
      .select("id")
      .gt("id", 1)
      .order("id", { ascending: false });
    expect(data).toEqual([{ id: 3 }, { id: 2 }]);
  });
});

describe("response.status and response.headers", () => {
  it("answer with the status and headers a function set in its transaction", async () => {
    const headers = JSON.stringify([{ "X-Conformance": "yes" }, { "Cache-Control": "no-store" }]);
    const { data, status } = await db.rpc("conf_surf_created", { p_status: "201", p_headers: headers });
    expect(status).toBe(201);
    expect(data).toBe(1);
    expect(lastHeaders().get("x-conformance")).toBe("yes");
    expect(lastHeaders().get("cache-control")).toBe("no-store");
    const unchanged = await db.rpc("conf_surf_created", { p_status: "", p_headers: "" });
    expect(unchanged.status).toBe(200);
    expect(lastHeaders().get("x-conformance")).toBeNull();
  });

  it("refuse values PostgREST cannot use with its errors PGRST112 and PGRST111", async () => {
    const status = await db.rpc("conf_surf_created", { p_status: "created", p_headers: "" });
    expect({ status: status.status, code: status.error?.code }).toEqual({ status: 500, code: "PGRST112" });
    const headers = await db.rpc("conf_surf_created", { p_status: "", p_headers: '{"X-Conformance": "yes"}' });
    expect({ status: headers.status, code: headers.error?.code }).toEqual({ status: 500, code: "PGRST111" });
  });
});

describe("writes", () => {
  it("inserts and returns the row with an embed, as one object with single()", async () => {
    const { data, status } = await db
      .from("conf_surf_kids")
      .insert({ id: 9, parent_id: 3, label: "k9" })
      .select("id, conf_surf_parents(name)")
      .single();
    expect(status).toBe(201);
    expect(data).toEqual({ id: 9, conf_surf_parents: { name: "Gamma" } });
    await db.from("conf_surf_kids").delete().eq("id", 9);
  });

  it("returns the deleted rows of a filtered delete", async () => {
    await db.from("conf_surf_kids").insert([
      { id: 10, parent_id: 3, label: "a" },
      { id: 11, parent_id: 3, label: "b" },
    ]);
    const { data } = await db.from("conf_surf_kids").delete().in("id", [10, 11]).select("id").order("id");
    expect(data).toEqual([{ id: 10 }, { id: 11 }]);
  });
});

describe("select shapes", () => {
  it("selects JSON paths with casts, orders by a JSON path, and nests and/or groups", async () => {
    const paths = await db.from("conf_surf_parents").select("id, z:doc->y->>z, x:doc->x::int").eq("id", 1);
    expect(paths.data).toEqual([{ id: 1, z: "q", x: 1 }]);
    const ordered = await db.from("conf_surf_parents").select("id").order("doc->x", { ascending: false });
    expect(ids(ordered.data)).toEqual([3, 2, 1]);
    const grouped = await db
      .from("conf_surf_parents")
      .select("id")
      .or("and(id.gt.1,name.ilike.g*),id.eq.1")
      .order("id");
    expect(ids(grouped.data)).toEqual([1, 3]);
  });

  it("spreads a to-one embed with aliases, and refuses to spread a to-many one with PGRST119", async () => {
    const spread = await db.from("conf_surf_kids").select("id, ...conf_surf_parents(parent:name)").eq("id", 1);
    expect(spread.data).toEqual([{ id: 1, parent: "alpha" }]);
    const many = await db.from("conf_surf_parents").select("id, ...conf_surf_kids(label)").eq("id", 1);
    expect(many.status).toBe(400);
    expect(many.error?.code).toBe("PGRST119");
  });

  it("sends a header set with setHeader (a count through Prefer)", async () => {
    const { count, status } = await db
      .from("conf_surf_parents")
      .select("id")
      .setHeader("Prefer", "count=exact")
      .order("id")
      .limit(1);
    expect(status).toBe(206);
    expect(count).toBe(3);
    expect(lastHeaders().get("content-range")).toBe("0-0/3");
  });
});

describe("Prefer: tx", () => {
  const quantity = async () => (await sql<{ n: number }[]>`select n from conf_surf_kids where id = 3`)[0]!.n;

  it("is recognised even under handling=strict, but not applied under Supabase's db-tx-end = commit", async () => {
    await sql`update conf_surf_kids set n = 3 where id = 3`;
    const { error, status } = await db
      .from("conf_surf_kids")
      .update({ n: 30 })
      .eq("id", 3)
      .setHeader("Prefer", "handling=strict, tx=rollback");
    expect({ status, error }).toEqual({ status: 204, error: null });
    expect(lastHeaders().get("preference-applied")).toBe("handling=strict");
    expect(await quantity()).toBe(30);
  });

  it.skipIf(!onDevstack)("rolls back with PGRST_DB_TX_END=commit-allow-override, and says so", async () => {
    await sql`update conf_surf_kids set n = 3 where id = 3`;
    const saved = process.env.PGRST_DB_TX_END;
    process.env.PGRST_DB_TX_END = "commit-allow-override";
    const own = await gatewayWith({}).finally(() => {
      if (saved === undefined) delete process.env.PGRST_DB_TX_END;
      else process.env.PGRST_DB_TX_END = saved;
    });
    try {
      const client = recordingClient(env.serviceRoleKey, own.url);
      await reloadSchema(sql, () => client.db.from("conf_surf_kids").select("id").limit(1));
      const { data, status } = await client.db
        .from("conf_surf_kids")
        .update({ n: 30 })
        .eq("id", 3)
        .select("n")
        .rollback();
      expect({ status, data }).toEqual({ status: 200, data: [{ n: 30 }] });
      expect(client.lastHeaders().get("preference-applied")).toBe("return=representation, tx=rollback");
      expect(await quantity()).toBe(3);
    } finally {
      await own.gateway.close();
    }
  });
});

describe("what Supabase leaves off, refused with PostgREST's error", () => {
  it("answers 406 PGRST107 for GeoJSON and for explain() (db-plan-enabled is off)", async () => {
    const geo = await db.from("conf_surf_parents").select("id").geojson();
    expect(geo.status).toBe(406);
    expect(geo.error?.code).toBe("PGRST107");
    const plan = await db.from("conf_surf_parents").select("id").explain();
    expect(plan.status).toBe(406);
    expect((plan.error as { code?: string } | null)?.code).toBe("PGRST107");
  });

  it("answers 406 PGRST106 for a schema outside [api] schemas, through schema()", async () => {
    const other = await db.schema("storage").from("buckets").select("id");
    expect(other.status).toBe(406);
    expect(other.error?.code).toBe("PGRST106");
  });

  it.skipIf(!onDevstack)("answers 404 PGRST125 for the OpenAPI description at /rest/v1/", async () => {
    // Supabase serves the OpenAPI description there; the devstack does not, and says so with PostgREST's code.
    const res = await fetch(`${env.url}/rest/v1/`, { headers: { apikey: env.anonKey } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "PGRST125" });
  });
});
