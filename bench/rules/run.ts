// Single-scan rule execution against the way per-rule tools run checks, in one run on one table of
// 1,000,000 rows and 10 columns with 50 rules of mixed kinds: (a) a bare count(*) scan, (b) our
// execution (counts, grouped uniqueness pass and failed-row samples: samples are part of a result),
// (c) one count query per rule. All three run in transactions prepared by the executor's own
// prepareTransaction (read-only, rule_executor, same timeout, JIT and work_mem), so the database
// settings are identical; only the statement shapes differ. BENCH_ROUNDS repeats the three timings
// (medians are reported); BENCH_DETAIL times each statement of (b) on its own.
// Uses SUPABASE_DB_URL, or starts a throwaway stack on offset 800.
import os from "node:os";
import postgres from "postgres";
import { startBenchStack } from "../support/stack.ts";
import {
  compileRules,
  failCondition,
  type RuleInput,
  sampleStatement,
} from "../../supabase/functions/_shared/rules/compile.ts";
import { checkRuleDefinition } from "../../supabase/functions/_shared/rules/definition.ts";
import { describeRule } from "../../supabase/functions/_shared/rules/describe.ts";
import {
  EXECUTION_SETTINGS,
  executePlan,
  loadColumns,
  loadStatistics,
  prepareTransaction,
  type RuleResult,
} from "../../supabase/functions/_shared/rules/execute.ts";
import { parseExpression } from "../../supabase/functions/_shared/rules/parse-expression.ts";
import { Params, quoteTable } from "../../supabase/functions/_shared/rules/sql-text.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const offset = 800;
const table = `bench_rules_${Date.now().toString(36)}`;

async function databaseUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.SUPABASE_DB_URL) return { url: process.env.SUPABASE_DB_URL, stop: async () => {} };
  const stack = await startBenchStack(offset);
  return { url: stack.env.SUPABASE_DB_URL!, stop: stack.stop };
}

async function rules(): Promise<RuleInput[]> {
  const expression = async (text: string) => {
    const parsed = await parseExpression(text);
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    return { kind: "expression", expression: parsed.ast };
  };
  const defs: unknown[] = [
    ...["code", "amount", "name", "status", "qty", "booked_on", "settled_on", "country", "ref", "id"].map((c) => ({
      kind: "not_null",
      column: c,
    })),
    ...["name", "code", "country", "ref"].map((c) => ({ kind: "not_blank", column: c })),
    { kind: "regex", column: "code", pattern: "^C[0-9]+$" },
    { kind: "regex", column: "country", pattern: "^[A-Z]{2}$" },
    { kind: "regex", column: "ref", pattern: "^[0-9a-f]{32}$" },
    ...[
      ["name", 1, 40],
      ["code", 2, 8],
      ["country", 2, 2],
      ["ref", 32, 32],
      ["status", 1, 1],
    ].map(([column, min, max]) => ({ kind: "length", column, min, max })),
    ...[
      [0, 1_000_000],
      [-100, 2_000_000],
      [1, 999_999],
    ].map(([min, max]) => ({ kind: "range", column: "amount", min, max })),
    ...[
      [0, 99],
      [1, 50],
      [0, 10],
    ].map(([min, max]) => ({ kind: "range", column: "qty", min, max })),
    { kind: "range", column: "id", min: 1, max: ROWS },
    { kind: "range", column: "amount", min: 0, min_inclusive: false },
    ...["2020-01-01", "2021-01-01", "2022-06-30"].map((min) => ({
      kind: "date_range",
      column: "booked_on",
      min,
      max: "2030-12-31",
    })),
    { kind: "date_range", column: "settled_on", min: "2020-01-01" },
    { kind: "allowed_values", column: "status", values: ["A", "B", "C"] },
    { kind: "allowed_values", column: "status", values: ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] },
    { kind: "allowed_values", column: "country", values: ["DE", "FR", "GB", "US", "NL", "IT", "ES", "CH"] },
    { kind: "allowed_values", column: "qty", values: Array.from({ length: 60 }, (_, i) => i) },
    { kind: "not_future_date", column: "booked_on" },
    { kind: "not_future_date", column: "settled_on" },
    { kind: "compare_columns", left: "booked_on", operator: "<=", right: "settled_on" },
    { kind: "compare_columns", left: "qty", operator: "<=", right: "amount" },
    { kind: "compare_columns", left: "booked_on", operator: "<>", right: "settled_on" },
    await expression("amount >= 0 or status = 'C'"),
    await expression("qty between 0 and 99 and length(code) <= 8"),
    await expression("lower(country) <> 'xx'"),
    await expression("settled_on - booked_on < 3650"),
    await expression("upper(status) in ('A', 'B', 'C', 'D')"),
    await expression("abs(amount) < 2000000 and qty is not null"),
    { kind: "unique", columns: ["code", "booked_on"] },
  ];
  if (defs.length !== 50) throw new Error(`expected 50 rules, have ${defs.length}`);
  return defs.map((definition, i) => ({ id: `rule_${i + 1}`, definition }));
}

const ms = (t: number) => `${t.toFixed(0)} ms`;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { url, stop } = await databaseUrl();
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    await sql.unsafe(`create table source_data.${table} as
      select i::bigint as id, 'C' || (i % 5000) as code, round((random() * 1200000 - 10000)::numeric, 2) as amount,
        case when i % 97 = 0 then null else 'name ' || i end as name,
        (array['A','B','C','D'])[1 + i % 4] as status, (i % 120)::integer as qty,
        date '2020-01-01' + (i % 2500) as booked_on, date '2020-01-01' + (i % 2500) + (i % 40) - 5 as settled_on,
        (array['DE','FR','GB','US','NL','xx'])[1 + i % 6] as country, md5(i::text) as ref
      from generate_series(1, ${ROWS}) as i`);
    await sql.unsafe(`vacuum analyze source_data.${table}`);
    const columns = await loadColumns(sql, "source_data", table);
    const ruleSet = await rules();
    const plan = compileRules(ruleSet, {
      schema: "source_data",
      table,
      columns,
      maskedColumns: ["ref"],
      statistics: await loadStatistics(sql, "source_data", table),
    });
    if (plan.invalid.length) throw new Error(JSON.stringify(plan.invalid));
    const target = quoteTable("source_data", table);
    // rule_executor reads the table only with a rule-execution token for it, as the worker presents one.
    const [{ token: executionToken }] = await sql<[{ token: string }]>`
      select private.open_rule_execution(null, array[${target}]::text[], 86400) as token`;
    const inExecutorTransaction = (body: (tx: postgres.TransactionSql) => Promise<unknown>) =>
      sql.begin("read only", async (tx) => {
        await prepareTransaction(tx, { statementTimeoutMs: 600_000, executionToken });
        await body(tx);
      });
    const perRule = ruleSet.map((rule) => {
      const compiled = plan.rules.get(rule.id)!;
      const check = checkRuleDefinition(rule.definition);
      if (!check.ok) throw new Error(check.errors.join("; "));
      const label = describeRule(check.definition);
      if (compiled.pass === "group")
        return { label, sql: `select count(*) from (${compiled.failedRows.sql}) as failed`, params: [] };
      const params = new Params();
      return {
        label,
        sql: `select count(*) from ${target} where ${failCondition(check.definition, columns, params)}`,
        params: params.values,
      };
    });

    // Warm the cache once, then measure the three approaches one after the other in each round.
    await inExecutorTransaction((tx) => tx.unsafe(`select count(*) from ${target}`));
    const rounds: { a: number; b: number; c: number }[] = [];
    // Each rule's own query in (c), per round. A rule that (b) evaluates row by row costs (b) at least
    // what its own query costs, so the slowest of those bounds (b)/(a) from below.
    const ruleTimes: number[][] = perRule.map(() => []);
    let results: RuleResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await timed(() => inExecutorTransaction((tx) => tx.unsafe(`select count(*) from ${target}`)));
      const b = await timed(async () => {
        results = await executePlan(sql, plan, { statementTimeoutMs: 600_000, executionToken });
      });
      const c = await timed(() =>
        inExecutorTransaction(async (tx) => {
          for (const [i, q] of perRule.entries())
            ruleTimes[i]!.push(await timed(() => tx.unsafe(q.sql, q.params, { prepare: false })));
        }),
      );
      rounds.push({ a, b, c });
      if (ROUNDS > 1) console.log(`  round ${round + 1}: (a) ${ms(a)}  (b) ${ms(b)}  (c) ${ms(c)}`);
    }
    const errors = results.filter((r) => r.status === "error" || r.sampleError);
    if (errors.length) throw new Error(`rules failed to run: ${JSON.stringify(errors)}`);
    if (process.env.BENCH_DETAIL) {
      for (const s of plan.statements) {
        const t = await timed(() => inExecutorTransaction((tx) => tx.unsafe(s.sql, s.params, { prepare: false })));
        console.log(
          `  statement (${s.pass}, ${s.ruleIds.length} rules${s.pass === "group" ? ", with its sample" : ""}): ${ms(t)}`,
        );
      }
      const failing = results
        .filter((r) => plan.rules.get(r.ruleId)!.pass === "scan" && r.failed! > 0)
        .map((r) => ({ rule: plan.rules.get(r.ruleId)!, failed: r.failed! }));
      const samples = sampleStatement(failing, plan.options, 1000);
      const t = await timed(() =>
        inExecutorTransaction((tx) => tx.unsafe(samples.sql, samples.params, { prepare: false })),
      );
      console.log(`  samples of ${failing.length} failing row-level rules, one statement: ${ms(t)}`);
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const a = median(rounds.map((r) => r.a));
    const b = median(rounds.map((r) => r.b));
    const c = median(rounds.map((r) => r.c));
    const bOverA = median(rounds.map((r) => r.b / r.a));
    const cOverB = median(rounds.map((r) => r.c / r.b));
    const [settings] = await sql`select current_setting('max_parallel_workers_per_gather') as workers`;
    console.log(
      `rows ${ROWS.toLocaleString("en-US")}, columns 10, rules ${ruleSet.length} (statements: ${plan.statements.length}), ` +
        `rounds ${ROUNDS}${ROUNDS > 1 ? " (medians)" : ""}`,
    );
    console.log(
      `settings for (a), (b), (c): jit ${EXECUTION_SETTINGS.jit}, work_mem ${EXECUTION_SETTINGS.work_mem}, ` +
        `max_parallel_workers_per_gather ${settings!.workers}; load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
    console.log(`(a) bare count(*) scan        ${ms(a).padStart(8)}`);
    console.log(
      `(b) our execution, 50 rules   ${ms(b).padStart(8)}   (counts, uniqueness pass and failed-row samples)`,
    );
    console.log(`(c) one query per rule        ${ms(c).padStart(8)}   (counts only)`);
    console.log(`(b)/(a) = ${bOverA.toFixed(2)}   goal <= 3`);
    console.log(`(c)/(b) = ${cOverB.toFixed(2)}   goal >= 8`);
    const statementPass = new Map(plan.statements.flatMap((s) => s.ruleIds.map((id) => [id, s.pass] as const)));
    const slowest = perRule
      .map((q, i) => ({ label: q.label, pass: statementPass.get(ruleSet[i]!.id), time: median(ruleTimes[i]!) }))
      .filter((r) => r.pass === "scan")
      .sort((x, y) => y.time - x.time)
      .slice(0, 3);
    console.log(
      `slowest rules evaluated row by row, each on its own: ${slowest.map((r) => `${r.label} ${ms(r.time)} (${(r.time / a).toFixed(1)} x (a))`).join("; ")}`,
    );
    console.log(`so (b)/(a) >= ${(slowest[0]!.time / a).toFixed(2)} for this rule set, whatever the rest costs`);
    console.log(
      `cost: ${(((b - a) * 1e6) / (ROWS * ruleSet.length)).toFixed(2)} ns per rule per row beyond the scan (${((b * 1e6) / (ROWS * ruleSet.length)).toFixed(2)} ns in all)`,
    );
  } finally {
    await sql.unsafe(`drop table if exists source_data.${table}`);
    await sql.end();
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
