// Database sources through the planning-sources function against a second database of the test cluster: the
// password is stored where no tester or owner can read it, "test connection" reads the table's schema, and a
// failed test is recorded without the password.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callSources, db, dbUrl, draftPlanningVersion, type SignedIn, signIn } from "./support.ts";

const suffix = randomBytes(4).toString("hex");
const database = `plan_ext_${suffix}`;
const reader = `plan_reader_${suffix}`;
const password = `pw-${randomBytes(8).toString("hex")}`;
const cluster = new URL(dbUrl);

let tester: SignedIn;
let owner: SignedIn;
let versionId: string;

function connection(overrides: Record<string, unknown> = {}) {
  return {
    name: `Core banking ${overrides.password ? "(wrong password)" : ""}`.trim(),
    host: cluster.hostname,
    port: Number(cluster.port),
    database,
    schema: "finance",
    table: "loans",
    user: reader,
    password,
    ...overrides,
  };
}

beforeAll(async () => {
  [tester, owner] = await Promise.all([signIn("tester@example.com"), signIn("owner@example.com")]);
  ({ versionId } = await draftPlanningVersion(tester, "database"));
  await db.unsafe(`create database ${database}`);
  await db.unsafe(`create role ${reader} login password '${password}'`);
  const externalUrl = new URL(dbUrl);
  externalUrl.pathname = `/${database}`;
  const external = postgres(externalUrl.toString(), { max: 1, onnotice: () => undefined });
  await external.unsafe(`
    create schema finance;
    create table finance.loans (id bigint primary key, customer text not null, amount numeric(15,2));
    insert into finance.loans select i, 'customer ' || i, case when i % 4 = 0 then null else i * 10.5 end
      from generate_series(1, 40) i;
    grant usage on schema finance to ${reader};
    grant select on finance.loans to ${reader};`);
  await external.end();
});

afterAll(async () => {
  await db.unsafe(`drop database if exists ${database} with (force)`);
  await db.unsafe(`drop role if exists ${reader}`);
  await db.end();
});

describe("a database source", () => {
  let sourceId: string;

  it("is stored without its password in anything the API serves", async () => {
    const { status, body } = await callSources(tester.token, `/versions/${versionId}/databases`, {
      json: connection(),
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      source_type: "database",
      status: "pending",
      database_name: database,
      username: reader,
    });
    expect(JSON.stringify(body)).not.toContain(password);
    sourceId = body.id as string;
    const [secret] = await db<{ password: string }[]>`
      select password from private.planning_data_source_secrets where data_source_id = ${sourceId}`;
    expect(secret?.password).toBe(password);
  });

  it("test connection reads the table's schema and makes the source ready", async () => {
    const { status, body } = await callSources(tester.token, `/sources/${sourceId}/test`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ready", row_count: 40, error: null });
    const columns = (body.schema as { columns: { name: string; type: string; pgType: string; nullCount: number }[] })
      .columns;
    expect(columns.map((c) => [c.name, c.pgType])).toEqual([
      ["id", "bigint"],
      ["customer", "text"],
      ["amount", "numeric(15,2)"],
    ]);
    expect(columns[2]!.nullCount).toBe(10);

    const mapped = await tester.client
      .from("planning_attributes")
      .insert({
        version_id: versionId,
        name: "Amount",
        data_type: "decimal",
        data_source_id: sourceId,
        source_column: "amount",
      })
      .select("source_column")
      .single();
    expect(mapped.error).toBeNull();
  });

  it("a failed test says why, is recorded on the source, and never shows the password", async () => {
    const wrong = `wrong-${randomBytes(6).toString("hex")}`;
    const created = await callSources(tester.token, `/versions/${versionId}/databases`, {
      json: connection({ password: wrong }),
    });
    expect(created.status).toBe(201);
    const { status, body } = await callSources(tester.token, `/sources/${created.body.id as string}/test`);
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: "auth_failed", source: { status: "error" } });
    expect(JSON.stringify(body)).not.toContain(wrong);
  });

  it("a wrong password is corrected in the draft: the source goes back to not tested, and the test then passes", async () => {
    const wrong = `wrong-${randomBytes(6).toString("hex")}`;
    const created = await callSources(tester.token, `/versions/${versionId}/databases`, {
      json: connection({ name: "Corrected later", password: wrong }),
    });
    const id = created.body.id as string;
    expect((await callSources(tester.token, `/sources/${id}/test`)).status).toBe(422);
    const { password: _password, ...withoutPassword } = connection({ name: "Corrected later" });
    // Without a password the stored (wrong) one stays; the name of another source is refused, naming it.
    const kept = await callSources(tester.token, `/sources/${id}`, { method: "PATCH", json: withoutPassword });
    expect(kept).toMatchObject({ status: 200, body: { status: "pending", error: null } });
    expect((await callSources(tester.token, `/sources/${id}/test`)).status).toBe(422);
    const clash = await callSources(tester.token, `/sources/${id}`, {
      method: "PATCH",
      json: { ...withoutPassword, name: "Core banking" },
    });
    expect(clash).toMatchObject({ status: 409, body: { code: "already_exists" } });
    expect(clash.body.message).toContain("“Core banking” is already taken");
    const fixed = await callSources(tester.token, `/sources/${id}`, {
      method: "PATCH",
      json: connection({ name: "Corrected later" }),
    });
    expect(fixed.status).toBe(200);
    const tested = await callSources(tester.token, `/sources/${id}/test`);
    expect(tested).toMatchObject({ status: 200, body: { status: "ready", row_count: 40 } });
    // The report owner cannot correct a source.
    const byOwner = await callSources(owner.token, `/sources/${id}`, { method: "PATCH", json: withoutPassword });
    expect(byOwner).toMatchObject({ status: 403, body: { code: "item_edit_requires_tester" } });
  });

  it("the report owner can neither add nor test sources", async () => {
    const added = await callSources(owner.token, `/versions/${versionId}/databases`, {
      json: connection({ name: "Owner's" }),
    });
    expect(added).toMatchObject({ status: 403, body: { code: "item_edit_requires_tester" } });
    const tested = await callSources(owner.token, `/sources/${sourceId}/test`);
    expect(tested).toMatchObject({ status: 403, body: { code: "item_edit_requires_tester" } });
  });

  it("refuses incomplete connection details", async () => {
    const { status, body } = await callSources(tester.token, `/versions/${versionId}/databases`, {
      json: { name: "No host", database, table: "loans", user: reader, password },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: "invalid_request" });
  });
});

describe("data-source secrets through the REST API", () => {
  it.each([["tester@"], ["owner@"]])("are unreadable by %s", async (who) => {
    const { client } = who === "tester@" ? tester : owner;
    const inPrivate = await client.schema("private").from("planning_data_source_secrets").select("*");
    expect(inPrivate.data).toBeNull();
    expect(inPrivate.error).not.toBeNull();
    const inPublic = await client.from("planning_data_source_secrets").select("*");
    expect(inPublic.data).toBeNull();
    expect(inPublic.error).not.toBeNull();
    const sources = await client.from("planning_data_sources").select("*").eq("version_id", versionId);
    expect(sources.error).toBeNull();
    expect(sources.data!.length).toBeGreaterThan(0);
    expect(JSON.stringify(sources.data)).not.toContain(password);
    const embedded = await client.from("planning_data_sources").select("id, planning_data_source_secrets(*)").limit(1);
    expect(embedded.error).not.toBeNull();
  });
});
