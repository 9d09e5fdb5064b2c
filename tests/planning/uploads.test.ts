// CSV uploads through the planning-sources function: a good file becomes a data source with its schema; a bad
// one is refused with its code, message and line and leaves no source row and no table behind.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authServerLookup } from "../../supabase/functions/_shared/auth.ts";
import { createPlanningSourcesApp } from "../../supabase/functions/planning-sources/app.ts";
import {
  anonKey,
  callSources,
  db,
  dbUrl,
  draftPlanningVersion,
  type SignedIn,
  signIn,
  upload,
  uploadTables,
  url,
} from "./support.ts";

let tester: SignedIn;
let owner: SignedIn;
let versionId: string;

async function sourceCount(): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from public.planning_data_sources where version_id = ${versionId}`;
  return row!.n;
}

beforeAll(async () => {
  [tester, owner] = await Promise.all([signIn("tester@example.com"), signIn("owner@example.com")]);
  ({ versionId } = await draftPlanningVersion(tester, "uploads"));
});

afterAll(async () => {
  await db.end();
});

describe("good files", () => {
  it("loads a semicolon-separated file with a BOM into a table of its own and records its schema", async () => {
    const csv =
      '\uFEFFid;Name;Active;Updated\n1;Ann;yes;2024-05-01T10:00:00Z\n2;Bob;no;\n3;"Cé; Ltd";y;2024-05-02 08:30\n';
    const { status, body } = await upload(tester.token, versionId, "Customers", csv);
    expect(status).toBe(201);
    expect(body).toMatchObject({ name: "Customers", row_count: 3, status: "ready", schema_name: "source_data" });
    const schema = body.schema as { columns: { name: string; type: string; nullCount: number; examples: string[] }[] };
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "integer"],
      ["name", "text"],
      ["active", "boolean"],
      ["updated", "timestamptz"],
    ]);
    expect(schema.columns[3]!.nullCount).toBe(1);
    const rows = await db.unsafe(`select name from source_data.${body.table_name as string} order by id`);
    expect(rows.map((r) => r.name)).toEqual(["Ann", "Bob", "Cé; Ltd"]);
  });

  it("deleting the draft's source removes its table", async () => {
    const name = `Scratch ${crypto.randomUUID()}`;
    const { body } = await upload(tester.token, versionId, name, "a\n1\n");
    const table = body.table_name as string;
    expect(await uploadTables(name)).toEqual([table]);
    const { error } = await tester.client
      .from("planning_data_sources")
      .delete()
      .eq("id", body.id as string);
    expect(error).toBeNull();
    expect(await uploadTables()).not.toContain(table);
  });
});

describe("bad files leave nothing behind", () => {
  const bad: [string, string | Uint8Array, string, number | null][] = [
    ["a ragged row", "id,name\n1,Ann\n2\n3,Cy\n", "ragged_row", 3],
    ["a wrong encoding", new Uint8Array([...new TextEncoder().encode("id,name\n1,"), 0xe9, 0x0a]), "bad_encoding", 2],
    ["a quote never closed", 'id,name\n1,Ann\n2,"Bob\n3,Cy\n', "unterminated_quote", 3],
    ["a stray quote", 'id,name\n1,An"n\n', "bad_quote", 2],
    ["a duplicate header", "id,ID\n1,2\n", "bad_header", 1],
    ["a header without rows", "id,name\n", "no_rows", 2],
    ["an empty file", "", "empty_file", null],
  ];
  it.each(bad)("refuses %s with its code and line", async (_what, file, code, line) => {
    const name = `Bad file ${crypto.randomUUID()}`;
    const sources = await sourceCount();
    const { status, body } = await upload(tester.token, versionId, name, file);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code, line });
    expect(String(body.message).length).toBeGreaterThan(10);
    expect({ sources: await sourceCount(), tables: await uploadTables(name) }).toEqual({ sources, tables: [] });
  });

  it("refuses a file over the size limit while it streams (413)", async () => {
    const sql = postgres(dbUrl, { max: 2, onnotice: () => undefined });
    const app = createPlanningSourcesApp({ sql, lookupUser: authServerLookup(url, anonKey), maxUploadBytes: 64 });
    const chunk = new TextEncoder().encode("id,name\n" + "1,Ann\n".repeat(20));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const bigName = `Big ${crypto.randomUUID()}`;
    const response = await app.request(
      `/planning-sources/versions/${versionId}/uploads?name=${encodeURIComponent(bigName)}`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${tester.token}` },
        body: stream,
        duplex: "half",
      } as RequestInit,
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "too_large" });
    const declared = await app.request(
      `/planning-sources/versions/${versionId}/uploads?name=${encodeURIComponent(bigName)}`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${tester.token}`, "Content-Length": "1000" },
        body: "x".repeat(1000),
      },
    );
    expect(declared.status).toBe(413);
    expect(await uploadTables(bigName)).toEqual([]);
    await sql.end();
  });
});

describe("who may upload", () => {
  it("refuses the report owner, an unknown version, a missing name and a caller who is not signed in", async () => {
    const name = `Refused ${crypto.randomUUID()}`;
    const byOwner = await upload(owner.token, versionId, name, "a\n1\n");
    expect(byOwner).toMatchObject({ status: 403, body: { code: "item_edit_requires_tester" } });
    const unknown = await upload(tester.token, "00000000-0000-4000-8000-000000000000", name, "a\n1\n");
    expect(unknown).toMatchObject({ status: 404, body: { code: "version_not_found" } });
    const unnamed = await callSources(tester.token, `/versions/${versionId}/uploads`, { body: "a\n1\n" });
    expect(unnamed).toMatchObject({ status: 400, body: { code: "invalid_request" } });
    const anonymous = await upload(anonKey, versionId, name, "a\n1\n");
    expect(anonymous).toMatchObject({ status: 401, body: { code: "unauthorized" } });
    expect(await uploadTables(name)).toEqual([]);
  });
});
