// A file the database refuses while loading it (a row wider than a table row can be: 1,600 columns of 20
// characters) is answered at once with a coded 400, rolls back, and gives its connection back: nothing is left
// `idle in transaction (aborted)`, and five such uploads in a row do not keep the next good one waiting on a
// pool of the functions' size.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authServerLookup } from "../../supabase/functions/_shared/auth.ts";
import { IngestError, ingestCsv } from "../../supabase/functions/_shared/ingest/ingest.ts";
import { createPlanningSourcesApp } from "../../supabase/functions/planning-sources/app.ts";
import {
  anonKey,
  db,
  dbUrl,
  draftPlanningVersion,
  type SignedIn,
  signIn,
  uploadTables,
  url,
} from "../planning/support.ts";
import { sourceRelations, streamOf, uniqueName } from "./helpers.ts";

const APPLICATION = `ingest failures ${process.pid}`;
/** The functions' pool (supabase/functions/_shared/database.ts): five connections. */
const sql = postgres(dbUrl, { max: 5, onnotice: () => undefined, connection: { application_name: APPLICATION } });
const app = createPlanningSourcesApp({ sql, lookupUser: authServerLookup(url, anonKey), maxUploadBytes: 10 << 20 });
let tester: SignedIn;
let versionId: string;

function wideCsv(columns = 1600, width = 20, rows = 2): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(",");
  const row = Array.from({ length: columns }, (_, i) => String(i % 10).repeat(width)).join(",");
  return [header, ...Array<string>(rows).fill(row)].join("\n");
}

/** Settles within `seconds`, or fails saying the upload never answered (the fault this file guards against). */
function answered<T>(promise: T | Promise<T>, seconds = 30): Promise<T> {
  return Promise.race([
    Promise.resolve(promise),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${seconds} s`)), seconds * 1000).unref(),
    ),
  ]);
}

async function upload(name: string, csv: string) {
  const response = await answered(
    app.request(`/planning-sources/versions/${versionId}/uploads?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tester.token}`, "Content-Type": "text/csv" },
      body: csv,
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** This file's connections that sit in a transaction (aborted or not) with nothing running. */
async function stuckConnections(): Promise<string[]> {
  const rows = await db<{ state: string }[]>`
    select state from pg_catalog.pg_stat_activity
    where application_name = ${APPLICATION} and state like 'idle in transaction%'`;
  return rows.map((r) => r.state);
}

beforeAll(async () => {
  tester = await signIn("tester@example.com");
  ({ versionId } = await draftPlanningVersion(tester, "ingest failures"));
});

afterAll(async () => {
  await sql.end();
});

describe("a row wider than a table row can be", () => {
  it("is refused by the loader with row_too_wide, leaving no table behind", async () => {
    const tableName = uniqueName("wide_");
    const error = await answered(ingestCsv({ sql, stream: streamOf(wideCsv()), tableName })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).toJSON()).toMatchObject({
      code: "row_too_wide",
      message: expect.stringMatching(/row is too big: size \d+, maximum size 8160/),
    });
    expect(await sourceRelations(sql, tableName)).toEqual([]);
    expect(await stuckConnections()).toEqual([]);
  });

  it("is refused when the batch that overflows comes mid-file, too", async () => {
    const error = await answered(
      ingestCsv({ sql, stream: streamOf(wideCsv(400, 20, 300)), tableName: uniqueName("wide_") }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "row_too_wide" });
    expect(await stuckConnections()).toEqual([]);
  });

  it("answers 400 row_too_wide at once, rolls back and releases its connection", async () => {
    const { status, body } = await upload("Too wide", wideCsv());
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: "row_too_wide", message: expect.stringContaining("fewer columns") });
    expect(await uploadTables("Too wide")).toEqual([]);
    expect(await stuckConnections()).toEqual([]);
    const [sources] = await db`
      select count(*)::int as n from public.planning_data_sources where version_id = ${versionId}`;
    expect(sources!.n).toBe(0);
  });

  it("five in a row do not block the next good upload", async () => {
    for (let i = 1; i <= 5; i++) {
      const { status, body } = await upload(`Too wide ${i}`, wideCsv());
      expect(status, `upload ${i}`).toBe(400);
      expect(body.code).toBe("row_too_wide");
    }
    expect(await stuckConnections()).toEqual([]);
    const good = await upload("Good after wide ones", "id,amount\n1,10.5\n2,20\n");
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ name: "Good after wide ones", source_type: "file_upload", row_count: 2 });
    // The pool still answers every connection's worth of work at once.
    await answered(Promise.all(Array.from({ length: 5 }, () => sql`select pg_sleep(0.05)`)));
  });
});

describe("a file as wide as a table can be, of short values", () => {
  it("loads and types its 1,600 columns in one rewrite, without holding the connection for minutes", async () => {
    const tableName = uniqueName("narrow_");
    const schema = await answered(ingestCsv({ sql, stream: streamOf(wideCsv(1600, 1, 3)), tableName }));
    expect(schema.columns).toHaveLength(1600);
    expect(schema.columns.every((c) => c.type === "integer")).toBe(true);
    expect(schema.rowCount).toBe(3);
    const [row] = await db.unsafe(`select c0, c1599, pg_typeof(c1599)::text as type from source_data.${tableName}`);
    expect(row).toEqual({ c0: 0, c1599: 9, type: "integer" });
    expect(await stuckConnections()).toEqual([]);
    await db.unsafe(`drop table source_data.${tableName}`);
  });
});
