// Abuse: names and values crafted to escape are quoted or bound, and the execution role can neither
// write nor read outside source_data even when handed raw SQL.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules } from "../../supabase/functions/_shared/rules/compile.ts";
import { loadColumns } from "../../supabase/functions/_shared/rules/execute.ts";
import { connect, executeAsWorker, uniqueTableName } from "./db.ts";

let sql: postgres.Sql;
const table = uniqueTableName("rules_abuse");
const evil = `x"; drop table source_data.${table}; --`;

beforeAll(async () => {
  sql = connect();
  await sql.unsafe(`create table source_data.${table} (id int, "${evil.replaceAll('"', '""')}" text, "it's" text)`);
  await sql.unsafe(`insert into source_data.${table} values (1, 'a''b', null), (2, null, 'x'), (3, '$1', 'y')`);
});

afterAll(async () => {
  await sql.unsafe(`drop table if exists source_data.${table}`);
  await sql.end();
});

describe("crafted names and values", () => {
  it("quotes identifiers and binds values, so nothing escapes", async () => {
    const columns = await loadColumns(sql, "source_data", table);
    const plan = compileRules(
      [
        { id: "n", definition: { kind: "not_null", column: evil } },
        { id: "v", definition: { kind: "allowed_values", column: evil, values: ["a'b", `"}', 'x`, "$1"] } },
        { id: "r", definition: { kind: "regex", column: "it's", pattern: "'; select pg_sleep(5); --" } },
        { id: "l", definition: { kind: "length", column: evil, max: 2 } },
      ],
      { schema: "source_data", table, columns },
    );
    const results = new Map((await executeAsWorker(sql, plan)).map((r) => [r.ruleId, r]));
    expect(results.get("n")!.failed).toBe(1);
    expect(results.get("v")!.failed).toBe(0);
    expect(results.get("r")!.failed).toBe(2);
    expect(results.get("l")!.failed).toBe(1);
    const [counted] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from source_data.${table}`);
    expect(counted!.n).toBe(3);
  });

  it("refuses a table that is not in the column list", () => {
    const plan = compileRules([{ id: "x", definition: { kind: "not_null", column: "id; drop" } }], {
      schema: "source_data",
      table,
      columns: [{ name: "id", type: "integer" }],
    });
    expect(plan.invalid[0]!.errors[0]).toMatch(/does not exist/);
    expect(plan.statements).toHaveLength(0);
  });
});

describe("the rule_executor role, given raw SQL", () => {
  async function asExecutor(statement: string): Promise<string> {
    try {
      await sql.begin(async (tx) => {
        await tx`select set_config('role', 'rule_executor', true)`;
        await tx.unsafe(statement);
      });
      return "allowed";
    } catch (error) {
      return (error as Error).message;
    }
  }

  it("cannot write even after switching back to the session's role, because the transaction is read-only", async () => {
    const error = await sql
      .begin("read only", async (tx) => {
        await tx`select set_config('role', 'rule_executor', true)`;
        await tx`select set_config('role', 'postgres', true)`;
        await tx.unsafe(`insert into source_data.${table} (id) values (9)`);
      })
      .catch((e: Error) => e.message);
    expect(error).toMatch(/read-only transaction/);
  });

  it("reads source_data", async () => {
    expect(await asExecutor(`select count(*) from source_data.${table}`)).toBe("allowed");
  });
  it.each([
    [`insert into source_data.${table} (id) values (9)`, /permission denied/],
    [`update source_data.${table} set id = 0`, /permission denied/],
    [`delete from source_data.${table}`, /permission denied/],
    [`drop table source_data.${table}`, /must be owner/],
    [`create table source_data.sneaky (x int)`, /permission denied/],
    ["select * from auth.users", /permission denied/],
    ["select * from pg_catalog.pg_authid", /permission denied/],
    ["select pg_read_file('/etc/passwd')", /permission denied/],
    ["create table public.sneaky (x int)", /permission denied/],
  ])("cannot: %s", async (statement, reason) => {
    expect(await asExecutor(statement)).toMatch(reason);
  });
});
