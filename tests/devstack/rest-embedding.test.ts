import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, reloadSchema, serviceClient } from "./fixtures/rest-env.ts";

/** Resource embedding as PostgREST 12 does it, beyond plain foreign keys. */
const sql = adminSql();
const db = serviceClient();

beforeAll(async () => {
  await sql.unsafe(`
    drop table if exists conf_emb_members, conf_emb_tasks, conf_emb_people, conf_emb_teams cascade;
    create table conf_emb_teams (id int primary key, name text not null);
    create table conf_emb_people (
      id int primary key,
      name text not null,
      manager_id int references conf_emb_people (id)
    );
    create table conf_emb_members (
      team_id int references conf_emb_teams (id),
      person_id int references conf_emb_people (id),
      primary key (team_id, person_id)
    );
    create table conf_emb_tasks (
      id int primary key,
      title text not null,
      author_id int constraint conf_emb_tasks_author_fk references conf_emb_people (id),
      reviewer_id int constraint conf_emb_tasks_reviewer_fk references conf_emb_people (id)
    );
    insert into conf_emb_teams values (1, 'red'), (2, 'blue');
    insert into conf_emb_people values (1, 'ann', null), (2, 'bob', 1), (3, 'cy', 1);
    insert into conf_emb_members values (1, 1), (1, 2), (2, 3);
    insert into conf_emb_tasks values (1, 'write', 2, 1), (2, 'read', 3, null);
    create view conf_emb_task_list as select id as task_id, title, author_id as writer_id from conf_emb_tasks;
    create function conf_emb_initial(conf_emb_people) returns text language sql stable
      as $$ select upper(left($1.name, 1)) $$;
    create function conf_emb_reports(conf_emb_people) returns setof conf_emb_people language sql stable
      as $$ select * from conf_emb_people where manager_id = $1.id order by id $$;
    create function conf_emb_boss(conf_emb_tasks) returns conf_emb_people language sql stable
      as $$ select p.* from conf_emb_people p join conf_emb_people a on a.manager_id = p.id where a.id = $1.author_id $$;
  `);
  await reloadSchema(sql, () => db.from("conf_emb_task_list").select("task_id").limit(1));
});

afterAll(async () => {
  await sql.unsafe(`
    drop view if exists conf_emb_task_list;
    drop table if exists conf_emb_members, conf_emb_tasks, conf_emb_people, conf_emb_teams cascade;
  `);
  await sql.end();
});

describe("self-references", () => {
  it("embeds the parent by the foreign-key column and the children by the table name", async () => {
    const { data, error } = await db
      .from("conf_emb_people")
      .select("name, manager_id(name), conf_emb_people(name)")
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: "ann", manager_id: null, conf_emb_people: [{ name: "bob" }, { name: "cy" }] },
      { name: "bob", manager_id: { name: "ann" }, conf_emb_people: [] },
      { name: "cy", manager_id: { name: "ann" }, conf_emb_people: [] },
    ]);
  });

  it("embeds the children under an alias with the foreign-key column as hint", async () => {
    const { data, error } = await db
      .from("conf_emb_people")
      .select("name, reports:conf_emb_people!manager_id(name)")
      .eq("id", 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ name: "ann", reports: [{ name: "bob" }, { name: "cy" }] });
  });
});

describe("foreign-key hints", () => {
  it("embeds the same table twice under two aliases, by constraint name", async () => {
    const { data, error } = await db
      .from("conf_emb_tasks")
      .select(
        "title, author:conf_emb_people!conf_emb_tasks_author_fk(name), reviewer:conf_emb_people!conf_emb_tasks_reviewer_fk(name)",
      )
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: "write", author: { name: "bob" }, reviewer: { name: "ann" } },
      { title: "read", author: { name: "cy" }, reviewer: null },
    ]);
  });

  it("answers 300 PGRST201 with PostgREST's details when the embed is ambiguous", async () => {
    const { error, status } = await db.from("conf_emb_tasks").select("title, conf_emb_people(name)");
    expect(status).toBe(300);
    expect(error).toEqual({
      code: "PGRST201",
      message:
        "Could not embed because more than one relationship was found for 'conf_emb_tasks' and 'conf_emb_people'",
      details: [
        {
          cardinality: "many-to-one",
          embedding: "conf_emb_tasks with conf_emb_people",
          relationship: "conf_emb_tasks_author_fk using conf_emb_tasks(author_id) and conf_emb_people(id)",
        },
        {
          cardinality: "many-to-one",
          embedding: "conf_emb_tasks with conf_emb_people",
          relationship: "conf_emb_tasks_reviewer_fk using conf_emb_tasks(reviewer_id) and conf_emb_people(id)",
        },
      ],
      hint: "Try changing 'conf_emb_people' to one of the following: 'conf_emb_people!conf_emb_tasks_author_fk', 'conf_emb_people!conf_emb_tasks_reviewer_fk'. Find the desired relationship in the 'details' key.",
    });
  });

  it("describes one-to-many candidates from the side of the embedding table", async () => {
    const { error } = await db.from("conf_emb_people").select("name, conf_emb_tasks(title)");
    expect(error?.code).toBe("PGRST201");
    expect(error?.details).toContainEqual({
      cardinality: "one-to-many",
      embedding: "conf_emb_people with conf_emb_tasks",
      relationship: "conf_emb_tasks_author_fk using conf_emb_people(id) and conf_emb_tasks(author_id)",
    });
  });

  it("spreads a to-one embed into the parent", async () => {
    const { data, error } = await db
      .from("conf_emb_tasks")
      .select("title, ...conf_emb_people!conf_emb_tasks_author_fk(author:name)")
      .eq("id", 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ title: "write", author: "bob" });
  });

  it("refuses to spread a to-many embed with 400 PGRST119, as PostgREST 12 does", async () => {
    const { error } = await db.from("conf_emb_teams").select("name, ...conf_emb_members(person_id)");
    expect(error?.code).toBe("PGRST119");
  });
});

describe("many-to-many", () => {
  it("embeds through a junction table whose primary key holds both foreign keys", async () => {
    const { data, error } = await db
      .from("conf_emb_teams")
      .select("name, conf_emb_people(name)")
      .order("id")
      .order("id", { referencedTable: "conf_emb_people" });
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: "red", conf_emb_people: [{ name: "ann" }, { name: "bob" }] },
      { name: "blue", conf_emb_people: [{ name: "cy" }] },
    ]);
  });

  it("filters the parent by the far side with !inner", async () => {
    const { data, error } = await db
      .from("conf_emb_people")
      .select("name, conf_emb_teams!inner(name)")
      .eq("conf_emb_teams.name", "blue");
    expect(error).toBeNull();
    expect(data).toEqual([{ name: "cy", conf_emb_teams: [{ name: "blue" }] }]);
  });
});

describe("views", () => {
  it("embeds from a view through the foreign key of the column it shows (renamed)", async () => {
    const { data, error } = await db.from("conf_emb_task_list").select("title, conf_emb_people(name)").order("task_id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: "write", conf_emb_people: { name: "bob" } },
      { title: "read", conf_emb_people: { name: "cy" } },
    ]);
  });

  it("embeds a view into a table the other way", async () => {
    const { data, error } = await db
      .from("conf_emb_people")
      .select("name, conf_emb_task_list(title)")
      .eq("id", 2)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ name: "bob", conf_emb_task_list: [{ title: "write" }] });
  });
});

describe("computed fields and relationships", () => {
  it("selects, filters and orders by a computed field (a function of the row)", async () => {
    const { data, error } = await db
      .from("conf_emb_people")
      .select("name, conf_emb_initial")
      .neq("conf_emb_initial", "C")
      .order("conf_emb_initial", { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: "bob", conf_emb_initial: "B" },
      { name: "ann", conf_emb_initial: "A" },
    ]);
  });

  it("leaves computed fields out of *", async () => {
    const { data, error } = await db.from("conf_emb_people").select("*").eq("id", 1).single();
    expect(error).toBeNull();
    expect(Object.keys(data!).sort()).toEqual(["id", "manager_id", "name"]);
  });

  it("embeds a computed relationship: setof rows as an array, one row as an object", async () => {
    const people = await db.from("conf_emb_people").select("name, conf_emb_reports(name)").eq("id", 1).single();
    expect(people.error).toBeNull();
    expect(people.data).toEqual({ name: "ann", conf_emb_reports: [{ name: "bob" }, { name: "cy" }] });
    const tasks = await db.from("conf_emb_tasks").select("title, boss:conf_emb_boss(name)").eq("id", 1).single();
    expect(tasks.error).toBeNull();
    expect(tasks.data).toEqual({ title: "write", boss: { name: "ann" } });
  });
});

describe("missing relationships", () => {
  it("answers 400 PGRST200 with PostgREST's message and details", async () => {
    const { error, status } = await db.from("conf_emb_teams").select("name, conf_emb_taks(title)");
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "PGRST200",
      message: "Could not find a relationship between 'conf_emb_teams' and 'conf_emb_taks' in the schema cache",
      details:
        "Searched for a foreign key relationship between 'conf_emb_teams' and 'conf_emb_taks' in the schema 'public', but no matches were found.",
    });
  });

  it("names the hint it searched with", async () => {
    const { error } = await db.from("conf_emb_tasks").select("title, conf_emb_people!nope(name)");
    expect(error?.code).toBe("PGRST200");
    expect(error?.details).toBe(
      "Searched for a foreign key relationship between 'conf_emb_tasks' and 'conf_emb_people' using the hint 'nope' in the schema 'public', but no matches were found.",
    );
  });
});
