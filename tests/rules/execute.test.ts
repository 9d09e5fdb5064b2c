// The compiler and executor against a real database: one test per rule kind on generated rows whose
// expected failures are computed here in JavaScript, independently of the compiler. Each kind runs twice:
// row by row, and once per value in the value pass for the low-cardinality columns.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules, type RuleInput } from "../../supabase/functions/_shared/rules/compile.ts";
import { loadColumns, loadStatistics, type RuleResult } from "../../supabase/functions/_shared/rules/execute.ts";
import type { ValuePassOptions } from "../../supabase/functions/_shared/rules/value-pass.ts";
import { parseExpression } from "../../supabase/functions/_shared/rules/parse-expression.ts";
import { connect, executeAsWorker, uniqueTableName } from "./db.ts";

interface Row {
  id: number;
  code: string | null;
  amount: string | null;
  name: string | null;
  status: string | null;
  qty: number | null;
  d: string | null;
  d2: string | null;
  /** A month end: few distinct dates. */
  m: string | null;
  secret: string;
  'odd "col': string | null;
}

const N = 3000;
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
const day = (offset: number) => new Date(Date.UTC(2020, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

const rows: Row[] = Array.from({ length: N }, (_, i) => ({
  id: i < N - 3 ? i + 1 : 7, // three rows repeat id 7
  code: random() < 0.05 ? null : pick(["ABC", "XYZ", "ab1", "TOOLONG", "Q"]),
  amount: random() < 0.05 ? null : (random() * 1200 - 100).toFixed(2),
  name: random() < 0.05 ? null : pick(["alice", "  ", "", "bob", "a name that is rather long indeed"]),
  status: random() < 0.05 ? null : pick(["A", "B", "C", "D", "a"]),
  qty: random() < 0.05 ? null : Math.floor(random() * 20) - 2,
  d: random() < 0.05 ? null : day(Math.floor(random() * 3000)),
  d2: random() < 0.05 ? null : day(Math.floor(random() * 3000)),
  m: random() < 0.05 ? null : day(30 * Math.floor(random() * 100)),
  secret: `s${i}`,
  'odd "col': pick(["x", "y", null]),
}));

const today = new Date().toISOString().slice(0, 10);
const count = (failing: (r: Row) => boolean) => rows.filter(failing).length;
const amount = (r: Row) => (r.amount === null ? null : Number(r.amount));

let sql: postgres.Sql;
const table = uniqueTableName("rules_exec");

beforeAll(async () => {
  sql = connect();
  await sql.unsafe(`create table source_data.${table} (
    id bigint, code text, amount numeric(14,2), name varchar(40), status text, qty integer, d date, d2 date,
    m date, secret text, "odd ""col" text)`);
  for (let i = 0; i < rows.length; i += 500)
    await sql`insert into source_data.${sql(table)} ${sql(rows.slice(i, i + 500))}`;
  await sql.unsafe(`analyze source_data.${table}`);
});

afterAll(async () => {
  await sql.unsafe(`drop table if exists source_data.${table}`);
  await sql.end();
});

interface Mode {
  name: string;
  options: () => Promise<ValuePassOptions>;
  /** Columns whose single-column rules the mode evaluates in the value pass. */
  valueColumns: string[];
}

const rowByRow: Mode = { name: "row by row", options: async () => ({}), valueColumns: [] };
const oncePerValue: Mode = {
  name: "once per value",
  options: async () => ({ statistics: await loadStatistics(sql, "source_data", table), valuePass: "always" }),
  // d and d2 have too many distinct values, id and amount are left out by type or count.
  valueColumns: ["code", "name", "status", "qty", "m", 'odd "col'],
};

async function runRules(
  rules: RuleInput[],
  mode: Mode = rowByRow,
): Promise<{ results: Map<string, RuleResult>; passes: Map<string, string> }> {
  const columns = await loadColumns(sql, "source_data", table);
  const plan = compileRules(rules, { schema: "source_data", table, columns, ...(await mode.options()) });
  const results = await executeAsWorker(sql, plan, { statementTimeoutMs: 10_000 });
  const passes = new Map(plan.statements.flatMap((s) => s.ruleIds.map((id) => [id, s.pass] as const)));
  return { results: new Map(results.map((r) => [r.ruleId, r])), passes };
}

describe.each([rowByRow, oncePerValue])(
  "one rule of each kind, $name, expected counts computed in JavaScript",
  (mode) => {
    /** The rule's failures; `reads` names the one column a rule reads, if it reads one. */
    async function failedOf(
      definition: { kind: string; column?: string; [key: string]: unknown },
      reads = definition.column,
    ): Promise<number | undefined> {
      const { results, passes } = await runRules([{ id: "r", definition }], mode);
      const result = results.get("r")!;
      expect(result.error).toBeUndefined();
      expect(result.total).toBe(N);
      expect(result.passed! + result.failed!).toBe(N);
      const moved = definition.kind !== "unique" && mode.valueColumns.includes(reads ?? "");
      expect(passes.get("r")).toBe(definition.kind === "unique" ? "group" : moved ? "values" : "scan");
      return result.failed;
    }

    it("not_null", async () => {
      expect(await failedOf({ kind: "not_null", column: "code" })).toBe(count((r) => r.code === null));
    });
    it("not_blank", async () => {
      expect(await failedOf({ kind: "not_blank", column: "name" })).toBe(
        count((r) => r.name === null || r.name.trim() === ""),
      );
    });
    it("regex", async () => {
      expect(await failedOf({ kind: "regex", column: "code", pattern: "^[A-Z]{3}$" })).toBe(
        count((r) => r.code !== null && !/^[A-Z]{3}$/.test(r.code)),
      );
      expect(await failedOf({ kind: "regex", column: "code", pattern: "^[a-z]{3}$", case_insensitive: true })).toBe(
        count((r) => r.code !== null && !/^[a-z]{3}$/i.test(r.code)),
      );
    });
    it("length", async () => {
      expect(await failedOf({ kind: "length", column: "name", min: 1, max: 10 })).toBe(
        count((r) => r.name !== null && (r.name.length < 1 || r.name.length > 10)),
      );
    });
    it("range, inclusive and exclusive", async () => {
      expect(await failedOf({ kind: "range", column: "amount", min: 0, max: 1000 })).toBe(
        count((r) => amount(r) !== null && (amount(r)! < 0 || amount(r)! > 1000)),
      );
      expect(
        await failedOf({ kind: "range", column: "qty", min: 0, max: 10, min_inclusive: false, max_inclusive: false }),
      ).toBe(count((r) => r.qty !== null && (r.qty <= 0 || r.qty >= 10)));
    });
    it("date_range", async () => {
      expect(await failedOf({ kind: "date_range", column: "d", min: "2021-01-01", max: "2026-12-31" })).toBe(
        count((r) => r.d !== null && (r.d < "2021-01-01" || r.d > "2026-12-31")),
      );
      expect(await failedOf({ kind: "date_range", column: "m", min: "2021-01-01", max: "2026-12-31" })).toBe(
        count((r) => r.m !== null && (r.m < "2021-01-01" || r.m > "2026-12-31")),
      );
    });
    it("allowed_values", async () => {
      expect(await failedOf({ kind: "allowed_values", column: "status", values: ["A", "B", "C"] })).toBe(
        count((r) => r.status !== null && !["A", "B", "C"].includes(r.status)),
      );
      expect(await failedOf({ kind: "allowed_values", column: "qty", values: [1, 2, 3] })).toBe(
        count((r) => r.qty !== null && ![1, 2, 3].includes(r.qty)),
      );
    });
    it("unique, one column and several", async () => {
      const dupes = (key: (r: Row) => string | null) => {
        const seen = new Map<string, number>();
        for (const r of rows) if (key(r) !== null) seen.set(key(r)!, (seen.get(key(r)!) ?? 0) + 1);
        return rows.filter((r) => key(r) !== null && seen.get(key(r)!)! > 1).length;
      };
      expect(await failedOf({ kind: "unique", columns: ["id"] })).toBe(dupes((r) => String(r.id)));
      expect(await failedOf({ kind: "unique", columns: ["status", "qty"] })).toBe(
        dupes((r) => (r.status === null || r.qty === null ? null : `${r.status}|${r.qty}`)),
      );
    });
    it("not_future_date", async () => {
      expect(await failedOf({ kind: "not_future_date", column: "d" })).toBe(count((r) => r.d !== null && r.d > today));
      expect(await failedOf({ kind: "not_future_date", column: "m" })).toBe(count((r) => r.m !== null && r.m > today));
    });
    it("compare_columns", async () => {
      expect(await failedOf({ kind: "compare_columns", left: "d", operator: "<=", right: "d2" })).toBe(
        count((r) => r.d !== null && r.d2 !== null && !(r.d <= r.d2)),
      );
    });
    it("expression", async () => {
      const parsed = await parseExpression("qty * 2 < amount or lower(status) = 'a'");
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      // Fails only where the condition is false (NULL is left to not_null), as in a CHECK constraint.
      const expected = count((r) => {
        const left = r.qty === null || amount(r) === null ? null : r.qty * 2 < amount(r)!;
        const right = r.status === null ? null : r.status.toLowerCase() === "a";
        return (
          left !== true && right !== true && (left === false || right === false) && !(left === null || right === null)
        );
      });
      expect(await failedOf({ kind: "expression", expression: parsed.ast })).toBe(expected);
      const oneColumn = await parseExpression("upper(status) <> 'D' and length(status) = 1");
      if (!oneColumn.ok) throw new Error(oneColumn.errors.join("; "));
      expect(await failedOf({ kind: "expression", expression: oneColumn.ast }, "status")).toBe(
        count((r) => r.status !== null && r.status.toUpperCase() === "D"),
      );
    });
  },
);

describe("execution", () => {
  it("runs many rules in few statements, with masked samples and failed-row queries", async () => {
    const rules: RuleInput[] = [
      { id: "code", definition: { kind: "not_null", column: "code" } },
      { id: "status", definition: { kind: "allowed_values", column: "status", values: ["A", "B"] } },
      { id: "id", definition: { kind: "unique", columns: ["id"] } },
      { id: "odd", definition: { kind: "not_null", column: 'odd "col' } },
    ];
    const columns = await loadColumns(sql, "source_data", table);
    const plan = compileRules(rules, { schema: "source_data", table, columns, maskedColumns: ["secret"] });
    expect(plan.statements).toHaveLength(2);
    const progress: number[] = [];
    const results = await executeAsWorker(sql, plan, { onProgress: (_, done) => void progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4]);
    for (const r of results) {
      expect(r.status).toBe("completed");
      expect(r.sample!.length).toBe(Math.min(20, r.failed!));
      for (const row of r.sample!) expect(row.secret).toBe("***");
      const [counted] = await sql.unsafe<{ n: number }[]>(
        `select count(*)::int as n from (${r.failedRowsQuery}) as failed`,
      );
      expect(counted!.n).toBe(r.failed);
    }
    const byId = new Map(results.map((r) => [r.ruleId, r]));
    expect(byId.get("id")!.failed).toBe(4); // id 7 and its three repeats
    expect(byId.get("odd")!.failed).toBe(count((r) => r['odd "col'] === null));
    for (const row of byId.get("code")!.sample!) expect(row.code).toBeNull();
  });

  it("counts several columns in one value pass as a row scan does", async () => {
    const rules: RuleInput[] = [
      { id: "code", definition: { kind: "regex", column: "code", pattern: "^[A-Z]+$" } },
      { id: "code_null", definition: { kind: "not_null", column: "code" } },
      { id: "name", definition: { kind: "not_blank", column: "name" } },
      { id: "status", definition: { kind: "allowed_values", column: "status", values: ["A", "B"] } },
      { id: "qty", definition: { kind: "range", column: "qty", min: 0, max: 9 } },
      { id: "m", definition: { kind: "date_range", column: "m", max: "2024-12-31" } },
      { id: "odd", definition: { kind: "not_null", column: 'odd "col' } },
    ];
    const byRow = await runRules(rules, rowByRow);
    const byValue = await runRules(rules, oncePerValue);
    for (const { id } of rules) {
      expect(byValue.passes.get(id), id).toBe("values");
      expect(byValue.results.get(id), id).toMatchObject({ status: "completed", total: N });
      expect(byValue.results.get(id)!.failed, id).toBe(byRow.results.get(id)!.failed);
      expect(byValue.results.get(id)!.sample, id).toEqual(byRow.results.get(id)!.sample);
    }
    expect(byValue.results.get("code")!.failed).toBe(count((r) => r.code !== null && !/^[A-Z]+$/.test(r.code)));
    expect(byValue.results.get("m")!.failed).toBe(count((r) => r.m !== null && r.m > "2024-12-31"));
  });

  it.each([rowByRow, oncePerValue])(
    "falls back to rule-by-rule when a combined statement errors, $name",
    async (mode) => {
      const { results, passes } = await runRules(
        [
          { id: "ok1", definition: { kind: "not_null", column: "code" } },
          // Valid, but no code converts to an integer: the statement errors when it runs.
          {
            id: "bad",
            definition: {
              kind: "expression",
              expression: { op: ">", args: [{ cast: "integer", args: [{ column: "code" }] }, { number: "0" }] },
            },
          },
          { id: "ok2", definition: { kind: "range", column: "qty", min: 0 } },
          { id: "invalid", definition: { kind: "not_null", column: "no_such_column" } },
        ],
        mode,
      );
      expect(passes.get("bad")).toBe(mode === oncePerValue ? "values" : "scan");
      expect(results.get("ok1")).toMatchObject({ status: "completed", failed: count((r) => r.code === null) });
      expect(results.get("ok2")).toMatchObject({
        status: "completed",
        failed: count((r) => r.qty !== null && r.qty < 0),
      });
      expect(results.get("bad")).toMatchObject({ status: "error" });
      // The SQLSTATE, the rule and its column; never the database's message, which quotes a value.
      expect(results.get("bad")!.error).toBe(
        "The rule failed with SQLSTATE 22P02 invalid_text_representation (rule bad on column code).",
      );
      expect(results.get("invalid")!.error).toMatch(/does not exist/);
    },
  );

  it("reports the error of a rule that runs alone in its scan", async () => {
    const { results, passes } = await runRules(
      [
        {
          id: "bad",
          definition: {
            kind: "expression",
            expression: { op: ">", args: [{ cast: "integer", args: [{ column: "code" }] }, { number: "0" }] },
          },
        },
      ],
      rowByRow,
    );
    expect(passes.get("bad")).toBe("scan");
    expect(results.get("bad")).toMatchObject({ status: "error" });
    expect(results.get("bad")!.error).toBe(
      "The rule failed with SQLSTATE 22P02 invalid_text_representation (rule bad on column code).",
    );
    expect(results.get("bad")!.durationMs).toBeGreaterThan(0);
  });

  it("never quotes a value of the data in an error result", async () => {
    // secret holds s0, s1…: the cast fails on the first row it reads, and PostgreSQL's message quotes it.
    const { results } = await runRules(
      [
        { id: "ok", definition: { kind: "not_null", column: "id" } },
        {
          id: "cast secret",
          definition: {
            kind: "expression",
            expression: { op: ">", args: [{ cast: "bigint", args: [{ column: "secret" }] }, { number: "0" }] },
          },
        },
      ],
      rowByRow,
    );
    expect(results.get("ok")).toMatchObject({ status: "completed" });
    const error = results.get("cast secret")!.error!;
    expect(error).toBe(
      "The rule failed with SQLSTATE 22P02 invalid_text_representation (rule cast secret on column secret).",
    );
    expect(error).not.toMatch(/s[0-9]/);
  });

  it("runs without the role switch, as on an external database", async () => {
    const columns = await loadColumns(sql, "source_data", table);
    const plan = compileRules([{ id: "a", definition: { kind: "not_null", column: "d" } }], {
      schema: "source_data",
      table,
      columns,
    });
    const [result] = await executeAsWorker(sql, plan, { role: null });
    expect(result!.failed).toBe(count((r) => r.d === null));
  });
});

describe("text columns holding dates and numbers", () => {
  const textTable = uniqueTableName("rules_text");
  const dates = ["2024-02-29", "2023-02-29", "2023-02-30", "0000-01-01", "2023-13-01", "2023-04-31", "2099-01-01"];
  const numbers = ["12.5", " -3 ", "1e3", "1e999999", "1e-9999", "9".repeat(1200), "1,5", "abc"];
  const valid = new Set(["2024-02-29", "2099-01-01"]);

  beforeAll(async () => {
    await sql.unsafe(`create table source_data.${textTable} (d text, n text)`);
    const rowsOf = Array.from({ length: Math.max(dates.length, numbers.length) + 1 }, (_, i) => ({
      d: dates[i] ?? null,
      n: numbers[i] ?? null,
    }));
    await sql`insert into source_data.${sql(textTable)} ${sql(rowsOf)}`;
  });

  afterAll(async () => {
    await sql.unsafe(`drop table if exists source_data.${textTable}`);
  });

  it("fail the values that are no real date or convertible number, and never error", async () => {
    const columns = await loadColumns(sql, "source_data", textTable);
    const plan = compileRules(
      [
        { id: "range", definition: { kind: "date_range", column: "d", min: "2000-01-01" } },
        { id: "future", definition: { kind: "not_future_date", column: "d" } },
        { id: "amount", definition: { kind: "range", column: "n", min: -10, max: 500 } },
      ],
      { schema: "source_data", table: textTable, columns },
    );
    const results = new Map((await executeAsWorker(sql, plan)).map((r) => [r.ruleId, r]));
    for (const r of results.values()) expect(r, r.ruleId).toMatchObject({ status: "completed" });
    // Every impossible date fails; of the two real ones, only the one in the future fails not_future_date.
    expect(results.get("range")!.failed).toBe(dates.filter((d) => !valid.has(d)).length);
    expect(results.get("future")!.failed).toBe(dates.filter((d) => !valid.has(d) || d > today).length);
    // 12.5, -3 and 1e-9999 pass; 1e3 is out of range; the overflowing, over-long and malformed values fail.
    expect(results.get("amount")!.failed).toBe(5);
  });
});
