import { afterAll, describe, expect, it } from "vitest";
import { type IngestProgress, ingestCsv } from "../../supabase/functions/_shared/ingest/ingest.ts";
import { loadStatistics } from "../../supabase/functions/_shared/rules/execute.ts";
import type { ColumnSchema, SourceSchema } from "../../supabase/functions/_shared/sources/schema.ts";
import { connect, dropTables, streamOf, uniqueName } from "./helpers.ts";

const sql = connect();
afterAll(async () => {
  await dropTables(sql);
  await sql.end();
});

function column(schema: SourceSchema, name: string): ColumnSchema {
  const found = schema.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name} in ${schema.columns.map((c) => c.name).join(", ")}`);
  return found;
}

async function tableTypes(table: string): Promise<Record<string, string>> {
  const rows = await sql<{ column_name: string; data_type: string }[]>`
    select column_name, data_type from information_schema.columns
    where table_schema = 'source_data' and table_name = ${table} order by ordinal_position`;
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

describe("ingesting a well-formed CSV", () => {
  const loans = [
    "Loan ID,Account No,Borrower,Amount (EUR),Rate,Big Number,Active,Opened,Updated At,Notes,Empty",
    '1,00123,"Smith, John",1500.50,0.035,3000000000,yes,2024-01-31,2024-01-31T10:15:00Z,,',
    '2,00456,"O\'Brien ""Jr""",-20,1e-3,-3000000000,NO,2024-02-29,2024-02-01 08:00:00+02:00,"two',
    'lines, and a comma",',
    "3,00789,Zoë Ångström,  ,.5,42,Y,,2024-03-01 12:00,NULL, ",
    "4,01000,Ünïcödé €,NULL,7,0,n,2023-12-31,2024-03-02,plain,",
  ].join("\r\n");

  it("infers each column's type from all its values and loads every row", async () => {
    const table = uniqueName("good_types");
    const schema = await ingestCsv({ sql, stream: streamOf(`\uFEFF${loans}\r\n`), tableName: table });
    expect(schema).toMatchObject({
      schema: "source_data",
      table,
      rowCount: 4,
      rowCountIsEstimate: false,
      statsSource: "full_scan",
    });
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ["loan_id", "integer"],
      ["account_no", "text"],
      ["borrower", "text"],
      ["amount_eur", "numeric"],
      ["rate", "numeric"],
      ["big_number", "bigint"],
      ["active", "boolean"],
      ["opened", "date"],
      ["updated_at", "timestamptz"],
      ["notes", "text"],
      ["empty", "text"],
    ]);
    expect(await tableTypes(table)).toEqual({
      loan_id: "integer",
      account_no: "text",
      borrower: "text",
      amount_eur: "numeric",
      rate: "numeric",
      big_number: "bigint",
      active: "boolean",
      opened: "date",
      updated_at: "timestamp with time zone",
      notes: "text",
      empty: "text",
    });
    const rows = await sql.unsafe(
      `select loan_id, account_no, borrower, amount_eur::text, active, opened::text, updated_at, notes from source_data.${table} order by loan_id`,
    );
    expect(rows.map((r) => r.account_no)).toEqual(["00123", "00456", "00789", "01000"]);
    expect(rows.map((r) => r.borrower)).toEqual(["Smith, John", 'O\'Brien "Jr"', "Zoë Ångström", "Ünïcödé €"]);
    expect(rows.map((r) => r.amount_eur)).toEqual(["1500.50", "-20", null, null]);
    expect(rows.map((r) => r.active)).toEqual([true, false, true, false]);
    expect(rows.map((r) => r.opened)).toEqual(["2024-01-31", "2024-02-29", null, "2023-12-31"]);
    expect(rows.map((r) => (r.updated_at as Date).toISOString())).toEqual([
      "2024-01-31T10:15:00.000Z",
      "2024-02-01T06:00:00.000Z",
      "2024-03-01T12:00:00.000Z",
      "2024-03-02T00:00:00.000Z",
    ]);
    expect(rows[1]?.notes).toBe("two\r\nlines, and a comma");
    expect(rows[2]?.notes).toBe("NULL");
  });

  it("describes each column: original header, nullability, nulls, distinct values, range, examples", async () => {
    const table = uniqueName("good_stats");
    const schema = await ingestCsv({ sql, stream: streamOf(loans), tableName: table });
    expect(column(schema, "amount_eur")).toMatchObject({
      originalName: "Amount (EUR)",
      position: 4,
      pgType: "numeric",
      nullable: true,
      nullCount: 2,
      distinctCount: 2,
      distinctIsEstimate: false,
      min: "-20",
      max: "1500.50",
      maxLength: null,
      examples: ["-20", "1500.50"],
    });
    expect(column(schema, "loan_id")).toMatchObject({
      nullable: false,
      nullCount: 0,
      distinctCount: 4,
      min: "1",
      max: "4",
    });
    expect(column(schema, "opened")).toMatchObject({ nullCount: 1, min: "2023-12-31", max: "2024-02-29" });
    expect(column(schema, "borrower")).toMatchObject({ type: "text", maxLength: 12, min: null, max: null });
    expect(column(schema, "borrower").examples).toHaveLength(3);
    expect(column(schema, "empty")).toMatchObject({ type: "text", nullCount: 3, distinctCount: 1, examples: [" "] });
    const comments = await sql.unsafe(
      `select col_description('source_data.${table}'::regclass, 4) as amount, obj_description('source_data.${table}'::regclass, 'pg_class') as tbl`,
    );
    expect(comments[0]?.amount).toBe("Header in the file: Amount (EUR)");
    expect(comments[0]?.tbl).toMatch(/^Uploaded CSV file, loaded /);
  });

  it("keeps to text a column where one value does not fit: an impossible date or year, a decimal comma, a mix", async () => {
    const table = uniqueName("good_fallback");
    const csv = [
      "d,n,i,b,t,y",
      "2024-02-29,1.5,1,true,2024-01-01T00:00:00Z,2024-01-01",
      '2023-02-29,"1,5",2.0,1,2024-13-01T00:00:00Z,0000-01-01',
    ].join("\n");
    const schema = await ingestCsv({ sql, stream: streamOf(csv), tableName: table });
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ["d", "text"],
      ["n", "text"],
      ["i", "numeric"],
      ["b", "text"],
      ["t", "text"],
      ["y", "text"],
    ]);
  });

  it("reads semicolon- and tab-separated files, and files delivered a byte at a time", async () => {
    const semicolon = await ingestCsv({
      sql,
      stream: streamOf('name;amount;note\n"Doe; Jane";12.5;é€😀\n', 1),
      tableName: uniqueName("good_semicolon"),
      fileName: "export.csv",
    });
    expect(semicolon.columns.map((c) => [c.name, c.type, c.examples])).toEqual([
      ["name", "text", ["Doe; Jane"]],
      ["amount", "numeric", ["12.5"]],
      ["note", "text", ["é€😀"]],
    ]);
    const tab = await ingestCsv({ sql, stream: streamOf("a\tb\n1\tx\n\n2\ty\n"), tableName: uniqueName("good_tab") });
    expect(tab.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(tab.rowCount).toBe(2);
  });

  it("gives the table to the rule executor to read, for a job that runs on it only", async () => {
    const table = uniqueName("good_grant");
    await ingestCsv({ sql, stream: streamOf("x\n1\n2\n"), tableName: table });
    const [{ token }] = await sql<[{ token: string }]>`
      select private.open_rule_execution(null, array[${`source_data.${table}`}]::text[]) as token`;
    const total = (presented: string | null) =>
      sql.begin(async (tx) => {
        if (presented) await tx`select set_config('regtest.rule_execution', ${presented}, true)`;
        await tx`set local role rule_executor`;
        const [row] = await tx.unsafe(`select count(*)::int as rows, sum(x)::int as total from source_data.${table}`);
        return row;
      });
    expect(await total(token)).toEqual({ rows: 2, total: 3 });
    expect(await total(null)).toEqual({ rows: 0, total: null });
  });

  it("leaves the table analyzed, so the rule executor knows its distinct values", async () => {
    const table = uniqueName("good_stats");
    await ingestCsv({ sql, stream: streamOf("code,n\n" + "A,1\nB,2\nA,3\n".repeat(100)), tableName: table });
    expect(await loadStatistics(sql, "source_data", table)).toEqual({ rows: 300, distinct: { code: 2, n: 3 } });
  });

  it("reports progress while loading, then while analyzing", async () => {
    const csv = "id,value\n" + Array.from({ length: 20_000 }, (_, i) => `${i},${"v".repeat(20)}${i}`).join("\n");
    const progress: IngestProgress[] = [];
    await ingestCsv({
      sql,
      stream: streamOf(csv),
      tableName: uniqueName("good_progress"),
      onProgress: (p) => progress.push(p),
    });
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(["loading", "analyzing", "done"]);
    expect(progress.filter((p) => p.stage === "loading").length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ stage: "done", bytes: new TextEncoder().encode(csv).byteLength, rows: 20_000 });
  });
});
