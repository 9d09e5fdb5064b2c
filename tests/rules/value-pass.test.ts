// Which columns' rules move to the value pass (evaluated once per distinct value), from the table's
// statistics and the rules' costs, and the statistics the executor reads for it.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRuleDefinition, type RuleDefinition } from "../../supabase/functions/_shared/rules/definition.ts";
import { loadStatistics } from "../../supabase/functions/_shared/rules/execute.ts";
import { chooseValueColumns } from "../../supabase/functions/_shared/rules/value-pass.ts";
import { connect, uniqueTableName } from "./db.ts";

const columns = [
  { name: "code", type: "text" },
  { name: "status", type: "text" },
  { name: "qty", type: "integer" },
  { name: "ref", type: "text" },
  { name: "amount", type: "numeric(14,2)" },
];
const statistics = { rows: 1_000_000, distinct: { code: 5_000, status: 4, qty: 120, ref: 1_000_000 } };

function rules(...definitions: unknown[]): { definition: RuleDefinition }[] {
  return definitions.map((d) => {
    const check = checkRuleDefinition(d);
    if (!check.ok) throw new Error(check.errors.join("; "));
    return { definition: check.definition };
  });
}

const regex = (column: string) => ({ kind: "regex", column, pattern: "^[A-Z]+$" });
const allowed = (column: string) => ({ kind: "allowed_values", column, values: ["A", "B"] });

describe("choosing the value pass's columns", () => {
  it("moves low-cardinality columns whose rules cost more than grouping them", () => {
    const chosen = chooseValueColumns(rules(regex("code"), allowed("status")), columns, { statistics });
    expect([...chosen].sort()).toEqual(["code", "status"]);
  });

  it("leaves cheap rules in the row scan", () => {
    const cheap = rules({ kind: "not_null", column: "status" }, { kind: "range", column: "qty", min: 0 });
    expect(chooseValueColumns(cheap, columns, { statistics }).size).toBe(0);
    // One costly column alone does not pay for a pass of its own.
    expect(chooseValueColumns(rules(allowed("status")), columns, { statistics }).size).toBe(0);
  });

  it("never moves columns with many values or no usable statistics, nor rules over several columns", () => {
    const definitions = rules(
      regex("ref"),
      { kind: "range", column: "amount", min: 0 },
      regex("code"),
      allowed("status"),
      { kind: "unique", columns: ["status"] },
      { kind: "compare_columns", left: "qty", operator: "<=", right: "code" },
    );
    expect([...chooseValueColumns(definitions, columns, { statistics })].sort()).toEqual(["code", "status"]);
    expect(chooseValueColumns(definitions, columns, {}).size).toBe(0);
    expect(chooseValueColumns(definitions, columns, { statistics: { rows: 0, distinct: {} } }).size).toBe(0);
  });

  it("moves every candidate when asked to", () => {
    const cheap = rules({ kind: "not_null", column: "status" }, { kind: "not_null", column: "ref" });
    expect([...chooseValueColumns(cheap, columns, { statistics, valuePass: "always" })]).toEqual(["status"]);
  });
});

describe("table statistics", () => {
  let sql: postgres.Sql;
  const table = uniqueTableName("value_stats");
  const collation = `${table}_ci`;

  beforeAll(async () => {
    sql = connect();
    await sql.unsafe(`
      create collation source_data.${collation} (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
      create table source_data.${table} (
        code text, qty integer, day date, flag boolean, amount numeric, label text collate source_data.${collation})
        with (autovacuum_enabled = false);
      insert into source_data.${table}
        select 'C' || (i % 7), i % 3, date '2024-01-01' + i % 5, i % 2 = 0, i % 4, 'x' || (i % 6)
        from generate_series(1, 2000) as i`);
  });

  afterAll(async () => {
    await sql.unsafe(`drop table if exists source_data.${table}; drop collation if exists source_data.${collation}`);
    await sql.end();
  });

  it("are unknown until the table is analyzed", async () => {
    expect(await loadStatistics(sql, "source_data", table)).toBeUndefined();
  });

  it("give distinct counts only where equal values look the same to every rule", async () => {
    await sql.unsafe(`analyze source_data.${table}`);
    const stats = await loadStatistics(sql, "source_data", table);
    expect(stats).toEqual({ rows: 2000, distinct: { code: 7, qty: 3, day: 5, flag: 2 } });
  });

  it("are unknown for a table that does not exist", async () => {
    expect(await loadStatistics(sql, "source_data", `${table}_missing`)).toBeUndefined();
  });
});
