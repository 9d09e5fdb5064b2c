import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, anonClient, env, rawRest, reloadSchema, serviceClient } from "./fixtures/rest-env.ts";

const sql = adminSql();
const serviceAuth = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };
const db = serviceClient();

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_read_books, conf_read_authors, conf_read_edges cascade;
    create table conf_read_authors (id int primary key, name text not null, country text);
    create table conf_read_books (
      id int primary key,
      author_id int references conf_read_authors (id),
      editor_id int references conf_read_authors (id),
      title text not null,
      pages int,
      tags text[],
      meta jsonb,
      published date
    );
    create table conf_read_edges (
      a int, b int, primary key (a, b),
      note text
    );
    insert into conf_read_authors values (1, 'Ada', 'UK'), (2, 'Bo', 'SE'), (3, 'Cy', null);
    insert into conf_read_books values
      (1, 1, 2, 'Alpha', 100, '{x,y}', '{"lang":"en","stats":{"stars":5}}', '2020-01-01'),
      (2, 1, null, 'Beta', 250, '{y}', '{"lang":"fr","stats":{"stars":3}}', '2021-06-01'),
      (3, 2, 1, 'Gamma', null, '{}', null, null),
      (4, 2, null, 'Delta', 80, '{z}', '{"lang":"en"}', '2019-03-03'),
      (5, null, null, 'Epsilon, the 5th', 300, null, null, '2022-01-01');
    insert into conf_read_edges values (1, 2, 'one-two'), (2, 3, 'two-three');
  `);
  await reloadSchema(sql, () => db.from("conf_read_edges").select("a").limit(1));
});

afterAll(async () => {
  await sql.unsafe("drop table if exists conf_read_books, conf_read_authors, conf_read_edges cascade");
  await sql.end();
});

describe("select", () => {
  it("returns all columns with *", async () => {
    const { data, error, status } = await db.from("conf_read_authors").select("*").order("id");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      { id: 1, name: "Ada", country: "UK" },
      { id: 2, name: "Bo", country: "SE" },
      { id: 3, name: "Cy", country: null },
    ]);
  });

  it("selects columns, aliases and casts", async () => {
    const { data, error } = await db.from("conf_read_books").select("id, label:title, pages::text").eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, label: "Alpha", pages: "100" }]);
  });

  it("selects JSON paths as json or text", async () => {
    const { data, error } = await db
      .from("conf_read_books")
      .select("id, meta->lang, stars:meta->stats->>stars")
      .eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, lang: "en", stars: "5" }]);
  });

  it("returns arrays, dates and json as PostgreSQL renders them", async () => {
    const { data } = await db.from("conf_read_books").select("tags, published, meta").eq("id", 2).single();
    expect(data).toEqual({ tags: ["y"], published: "2021-06-01", meta: { lang: "fr", stats: { stars: 3 } } });
  });
});

describe("embedding", () => {
  it("embeds a many-to-one relationship as an object or null (hint by column)", async () => {
    const { data, error } = await db
      .from("conf_read_books")
      .select("id, author:conf_read_authors!author_id(name)")
      .in("id", [1, 5])
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, author: { name: "Ada" } },
      { id: 5, author: null },
    ]);
  });

  it("embeds one-to-many as arrays, with embedded filters, order and limit", async () => {
    const { data, error } = await db
      .from("conf_read_authors")
      .select("name, books:conf_read_books!author_id(title)")
      .order("id")
      .order("title", { referencedTable: "books", ascending: false })
      .limit(1, { referencedTable: "books" });
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: "Ada", books: [{ title: "Beta" }] },
      { name: "Bo", books: [{ title: "Gamma" }] },
      { name: "Cy", books: [] },
    ]);
  });

  it("nests embeds", async () => {
    const { data, error } = await db
      .from("conf_read_authors")
      .select("name, conf_read_books!author_id(title, editor:conf_read_authors!editor_id(name))")
      .eq("id", 1)
      .order("id", { referencedTable: "conf_read_books" })
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({
      name: "Ada",
      conf_read_books: [
        { title: "Alpha", editor: { name: "Bo" } },
        { title: "Beta", editor: null },
      ],
    });
  });

  it("filters parents with !inner and an embedded filter", async () => {
    const { data, error } = await db
      .from("conf_read_books")
      .select("title, conf_read_authors!author_id!inner(name)")
      .eq("conf_read_authors.name", "Bo")
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: "Gamma", conf_read_authors: { name: "Bo" } },
      { title: "Delta", conf_read_authors: { name: "Bo" } },
    ]);
  });

  it("keeps parents without !inner and nulls the filtered embed", async () => {
    const { data } = await db
      .from("conf_read_books")
      .select("id, conf_read_authors!author_id(name)")
      .eq("conf_read_authors.name", "Bo")
      .in("id", [1, 3])
      .order("id");
    expect(data).toEqual([
      { id: 1, conf_read_authors: null },
      { id: 3, conf_read_authors: { name: "Bo" } },
    ]);
  });

  it("orders by a column of a to-one embed", async () => {
    const { status, body } = await rawRest(
      "/conf_read_books?select=id,a:conf_read_authors!author_id(name)&author_id=not.is.null&order=a(name).desc,id.asc",
      { headers: serviceAuth },
    );
    expect(status).toBe(200);
    expect((body as { id: number }[]).map((r) => r.id)).toEqual([3, 4, 1, 2]);
  });

  it("answers 300 PGRST201 for an ambiguous embed", async () => {
    const { error, status } = await db.from("conf_read_books").select("id, conf_read_authors(name)");
    expect(status).toBe(300);
    expect(error?.code).toBe("PGRST201");
    expect(error?.message).toBe(
      "Could not embed because more than one relationship was found for 'conf_read_books' and 'conf_read_authors'",
    );
    expect(Array.isArray(error?.details)).toBe(true);
    expect(error?.hint).toContain("conf_read_authors!");
  });

  it("answers 400 PGRST200 when there is no relationship", async () => {
    const { error, status } = await db.from("conf_read_books").select("id, conf_read_edges(a)");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST200");
    expect(error?.message).toBe(
      "Could not find a relationship between 'conf_read_books' and 'conf_read_edges' in the schema cache",
    );
  });
});

describe("filters", () => {
  const ids = async (query: PromiseLike<{ data: { id: number }[] | null; error: unknown }>) => {
    const { data, error } = await query;
    expect(error).toBeNull();
    return data!.map((r) => r.id);
  };
  const books = () => db.from("conf_read_books").select("id").order("id");

  it("compares with eq, neq, gt, gte, lt, lte", async () => {
    expect(await ids(books().eq("pages", 100))).toEqual([1]);
    expect(await ids(books().neq("pages", 100))).toEqual([2, 4, 5]);
    expect(await ids(books().gt("pages", 100))).toEqual([2, 5]);
    expect(await ids(books().gte("pages", 100))).toEqual([1, 2, 5]);
    expect(await ids(books().lt("pages", 100))).toEqual([4]);
    expect(await ids(books().lte("published", "2020-01-01"))).toEqual([1, 4]);
  });

  it("matches patterns with like and ilike", async () => {
    expect(await ids(books().like("title", "%a"))).toEqual([1, 2, 3, 4]);
    expect(await ids(books().ilike("title", "e*"))).toEqual([5]);
  });

  it("handles in (with commas inside values), is and not", async () => {
    expect(await ids(books().in("title", ["Alpha", "Epsilon, the 5th"]))).toEqual([1, 5]);
    expect(await ids(books().is("pages", null))).toEqual([3]);
    expect(await ids(books().not("pages", "is", null))).toEqual([1, 2, 4, 5]);
    expect(await ids(books().not("id", "in", "(1,2,3)"))).toEqual([4, 5]);
  });

  it("combines or/and groups, nested and negated", async () => {
    expect(await ids(books().or("pages.lt.90,title.eq.Gamma"))).toEqual([3, 4]);
    expect(await ids(books().or("id.eq.1,and(pages.gt.200,title.like.E*)"))).toEqual([1, 5]);
    const negated = await rawRest("/conf_read_books?select=id&order=id&not.or=(id.eq.1,id.eq.2)&id=lt.5", {
      headers: serviceAuth,
    });
    expect(negated.body).toEqual([{ id: 3 }, { id: 4 }]);
  });

  it("filters arrays and jsonb with cs, cd, ov and JSON paths", async () => {
    expect(await ids(books().contains("tags", ["y"]))).toEqual([1, 2]);
    expect(await ids(books().containedBy("tags", ["x", "y"]))).toEqual([1, 2, 3]);
    expect(await ids(books().overlaps("tags", ["x", "z"]))).toEqual([1, 4]);
    expect(await ids(books().contains("meta", { lang: "en" }))).toEqual([1, 4]);
    expect(await ids(books().eq("meta->>lang", "fr"))).toEqual([2]);
    expect(await ids(books().gt("meta->stats->stars", 4))).toEqual([1]);
  });

  it("runs full-text search", async () => {
    expect(await ids(books().textSearch("title", "epsilon"))).toEqual([5]);
    expect(await ids(books().textSearch("title", "the 5th", { type: "plain", config: "english" }))).toEqual([5]);
    expect(await ids(books().textSearch("title", "gamma or delta", { type: "websearch" }))).toEqual([3, 4]);
  });

  it("filters composite keys", async () => {
    const { data } = await db.from("conf_read_edges").select("note").eq("a", 2).eq("b", 3);
    expect(data).toEqual([{ note: "two-three" }]);
  });
});

describe("order, range and count", () => {
  it("orders by several columns with nulls placement", async () => {
    const { data } = await db
      .from("conf_read_books")
      .select("id")
      .order("pages", { ascending: false, nullsFirst: true })
      .order("id");
    expect(data!.map((r) => r.id)).toEqual([3, 5, 2, 1, 4]);
    const { data: last } = await db
      .from("conf_read_books")
      .select("id")
      .order("pages", { ascending: true, nullsFirst: false });
    expect(last!.map((r) => r.id)).toEqual([4, 1, 2, 5, 3]);
  });

  it("pages with range and reports exact counts in Content-Range (206 when partial)", async () => {
    const { data, count, status } = await db
      .from("conf_read_books")
      .select("id", { count: "exact" })
      .order("id")
      .range(1, 2);
    expect(data!.map((r) => r.id)).toEqual([2, 3]);
    expect(count).toBe(5);
    expect(status).toBe(206);
    const raw = await rawRest("/conf_read_books?select=id&order=id&offset=1&limit=2", {
      headers: { ...serviceAuth, Prefer: "count=exact" },
    });
    expect(raw.headers.get("content-range")).toBe("1-2/5");
  });

  it("answers 200 with */total for a full page and counts with head requests", async () => {
    const { count, status, data } = await db.from("conf_read_books").select("*", { count: "exact", head: true });
    expect(status).toBe(200);
    expect(count).toBe(5);
    expect(data).toBeNull();
    const filtered = await db.from("conf_read_books").select("id", { count: "planned" }).gt("pages", 1000);
    expect(filtered.count).toBe(0);
    expect(filtered.data).toEqual([]);
  });

  it("honours the Range header and leaves the total unknown without a count", async () => {
    const raw = await rawRest("/conf_read_books?select=id&order=id", {
      headers: { ...serviceAuth, Range: "0-1", "Range-Unit": "items" },
    });
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual([{ id: 1 }, { id: 2 }]);
    expect(raw.headers.get("content-range")).toBe("0-1/*");
  });

  it("answers 416 PGRST103 for an offset past the end when counting", async () => {
    const { error, status } = await db.from("conf_read_books").select("id", { count: "exact" }).range(10, 12);
    expect(status).toBe(416);
    expect(error?.code).toBe("PGRST103");
    expect(error?.message).toBe("Requested range not satisfiable");
    expect(error?.details).toBe("An offset of 10 was requested, but there are only 5 rows.");
    const { data, status: noCount } = await db.from("conf_read_books").select("id").range(10, 12);
    expect(noCount).toBe(200);
    expect(data).toEqual([]);
  });
});

describe("singular responses", () => {
  it("single() returns one object", async () => {
    const { data, error, status } = await db.from("conf_read_authors").select("name").eq("id", 2).single();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ name: "Bo" });
  });

  it("single() answers 406 PGRST116 for zero or many rows", async () => {
    const none = await db.from("conf_read_authors").select("name").eq("id", 99).single();
    expect(none.status).toBe(406);
    expect(none.error?.code).toBe("PGRST116");
    expect(none.error?.details).toBe("The result contains 0 rows");
    const many = await db.from("conf_read_authors").select("name").single();
    expect(many.status).toBe(406);
    expect(many.error?.details).toBe("The result contains 3 rows");
  });

  it("maybeSingle() returns null for no rows and an error for several", async () => {
    const none = await db.from("conf_read_authors").select("name").eq("id", 99).maybeSingle();
    expect(none.error).toBeNull();
    expect(none.data).toBeNull();
    const one = await db.from("conf_read_authors").select("name").eq("id", 1).maybeSingle();
    expect(one.data).toEqual({ name: "Ada" });
    const many = await db.from("conf_read_authors").select("name").maybeSingle();
    expect(many.error?.code).toBe("PGRST116");
  });
});

describe("read errors", () => {
  it("answers 404 PGRST205 for an unknown table, with a hint for a near miss", async () => {
    const { error, status } = await anonClient().from("conf_read_bookz").select("*");
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST205");
    expect(error?.message).toBe("Could not find the table 'public.conf_read_bookz' in the schema cache");
    expect(error?.hint).toBe("Perhaps you meant the table 'public.conf_read_books'");
  });

  it("answers 400 42703 for an unknown column in select, filters and order", async () => {
    for (const query of [
      db.from("conf_read_books").select("nope"),
      db.from("conf_read_books").select("id").eq("nope", 1),
      db.from("conf_read_books").select("id").order("nope"),
    ]) {
      const { error, status } = await query;
      expect(status).toBe(400);
      expect(error?.code).toBe("42703");
      expect(error?.message).toBe("column conf_read_books.nope does not exist");
    }
  });

  it("answers 400 22P02 for a value of the wrong type", async () => {
    const { error, status } = await db.from("conf_read_books").select("id").eq("pages", "many");
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
    expect(error?.message).toBe('invalid input syntax for type integer: "many"');
  });

  it("answers 400 PGRST100 for a malformed filter", async () => {
    const { error, status } = await db.from("conf_read_books").select("id").filter("pages", "bogus", "1");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST100");
    expect(error?.message).toContain('"failed to parse filter (bogus.1)"');
  });

  it("answers 406 PGRST106 for a schema that is not exposed", async () => {
    const { error, status } = await db.schema("auth").from("users").select("id");
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
  });
});
