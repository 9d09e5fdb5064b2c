// Do the offline provider's rule proposals find the defects? Three generated datasets (loans, transactions,
// customers; 10,000+ rows each) are loaded twice into a real PostgreSQL, clean and with defects planted on rows
// of their own per kind. Planning attributes and then rules are proposed from the dirty copy exactly as the
// generation job does (the offline provider, its validation, and a probe that reads the table), and the rules
// run through the real execution path (compileRules + executePlan as rule_executor). A kind is caught when a
// proposed rule fails at least one of the rows it was planted on. False alarms are rules that fail on the clean
// copy: the dirty copy's rules run on it, and the clean copy's own proposals too.
// Uses SUPABASE_DB_URL, or starts a throwaway stack on offset 800.
import postgres from "postgres";
import { startBenchStack } from "../support/stack.ts";
import { columnProfile } from "../../supabase/functions/_shared/generation/load.ts";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import type { RuleProposal } from "../../supabase/functions/_shared/llm/schemas/rules.ts";
import type { ApprovedAttribute } from "../../supabase/functions/_shared/llm/types.ts";
import { compileRules } from "../../supabase/functions/_shared/rules/compile.ts";
import { describeRule } from "../../supabase/functions/_shared/rules/describe.ts";
import { executePlan, loadColumns, loadStatistics } from "../../supabase/functions/_shared/rules/execute.ts";
import { dataProbe, tableProbe } from "../../supabase/functions/_shared/rules/probe.ts";
import { quoteTable } from "../../supabase/functions/_shared/rules/sql-text.ts";
import { columnTypeOf } from "../../supabase/functions/_shared/sources/schema.ts";
import { measureColumns } from "../../supabase/functions/_shared/sources/stats.ts";
import { MemoryRecorder, storeAll } from "../../tests/llm/support/memory-recorder.ts";
import { customers, type Dataset, loans, transactions } from "./datasets.ts";

const offset = 800;
const SCHEMA = "source_data";
const today = new Date().toISOString().slice(0, 10);
const suffix = Date.now().toString(36);

async function databaseUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.SUPABASE_DB_URL) return { url: process.env.SUPABASE_DB_URL, stop: async () => {} };
  const stack = await startBenchStack(offset);
  return { url: stack.env.SUPABASE_DB_URL!, stop: stack.stop };
}

/** Loads rows into a new table with a row_no column (not shown to the provider) to tell rows apart. */
async function load(sql: postgres.Sql, table: string, dataset: Dataset, rows: Dataset["clean"]): Promise<void> {
  const columns = Object.entries(dataset.columns).map(([name, type]) => `"${name}" ${type}`);
  await sql.unsafe(`create table ${quoteTable(SCHEMA, table)} (row_no integer not null, ${columns.join(", ")})`);
  const names = ["row_no", ...Object.keys(dataset.columns)];
  for (let i = 0; i < rows.length; i += 2_000) {
    const batch = rows.slice(i, i + 2_000).map((row, j) => ({ row_no: i + j, ...row }));
    await sql`insert into ${sql(`${SCHEMA}.${table}`)} ${sql(batch as Record<string, postgres.SerializableParameter>[], names)}`;
  }
  await sql.unsafe(`vacuum analyze ${quoteTable(SCHEMA, table)}`);
}

/** Attributes and then rules, proposed by the offline provider from the table as a generation job would. */
async function propose(sql: postgres.Sql, dataset: Dataset, table: string): Promise<RuleProposal[]> {
  const provider = new HeuristicProvider(() => today);
  const catalog = (await loadColumns(sql, SCHEMA, table)).filter((c) => c.name !== "row_no");
  const measured = await measureColumns(
    sql,
    quoteTable(SCHEMA, table),
    catalog.map((c, i) => ({
      name: c.name,
      originalName: c.name,
      position: i + 1,
      type: columnTypeOf(c.type),
      pgType: c.type,
    })),
  );
  const byName = new Map(measured.columns.map((c) => [c.name, c]));
  const recorder = new MemoryRecorder();
  const { output: attributes } = await provider.proposeAttributes(
    {
      dataSources: [
        {
          name: dataset.name,
          table,
          rowCount: measured.rowCount,
          columns: measured.columns.map((c) => columnProfile(c)),
        },
      ],
    },
    { recorder, idempotencyKey: `${table}:attributes`, store: storeAll },
  );
  // Every proposed attribute approved as proposed.
  const approved: ApprovedAttribute[] = attributes.map((a) => ({
    name: a.name,
    dataType: a.data_type,
    description: a.description,
    isMandatory: a.is_mandatory,
    isCde: a.is_cde,
    isPrimaryKey: a.is_primary_key,
    maxLength: a.max_length,
    classification: a.information_security_classification,
    source: {
      dataSource: dataset.name,
      table,
      column: a.source.column,
      rowCount: measured.rowCount,
      profile: columnProfile(byName.get(a.source.column)!, a.information_security_classification),
    },
    tableColumns: catalog,
  }));
  const executionToken = await executionTokenFor(sql, table);
  const probe = dataProbe(async () => tableProbe(sql, { schema: SCHEMA, table, executionToken }));
  const { output } = await provider.proposeRules(
    { attributes: approved, probe },
    { recorder, idempotencyKey: `${table}:rules`, store: storeAll },
  );
  return output;
}

interface Outcome {
  rule: RuleProposal;
  failed: number;
  /** row_no of every failing row. */
  rows: Set<number>;
}

/** rule_executor reads a table only with a rule-execution token for it, as the worker presents one. */
async function executionTokenFor(sql: postgres.Sql, table: string): Promise<string> {
  const [row] = await sql<[{ token: string }]>`
    select private.open_rule_execution(null, array[${`${SCHEMA}.${table}`}]::text[], 86400) as token`;
  return row.token;
}

/** Runs the rules on a table through compileRules and executePlan, and reads each failing rule's rows. */
async function run(sql: postgres.Sql, table: string, rules: RuleProposal[]): Promise<Outcome[]> {
  const columns = await loadColumns(sql, SCHEMA, table);
  const plan = compileRules(
    rules.map((r, i) => ({ id: `r${i}`, definition: r.definition })),
    { schema: SCHEMA, table, columns, statistics: await loadStatistics(sql, SCHEMA, table) },
  );
  if (plan.invalid.length) throw new Error(`rules refused: ${JSON.stringify(plan.invalid)}`);
  const results = new Map(
    (await executePlan(sql, plan, { executionToken: await executionTokenFor(sql, table) })).map((r) => [r.ruleId, r]),
  );
  return await Promise.all(
    rules.map(async (rule, i) => {
      const result = results.get(`r${i}`)!;
      if (result.status !== "completed") throw new Error(`${rule.attribute}.${rule.name}: ${result.error}`);
      const failedRows = plan.rules.get(`r${i}`)!.failedRows;
      const rows = result.failed
        ? await sql.unsafe(`select row_no from (${failedRows.sql}) as failed`, failedRows.params as never[])
        : [];
      return { rule, failed: result.failed!, rows: new Set(rows.map((r) => Number(r.row_no))) };
    }),
  );
}

const label = (r: RuleProposal) => `${r.attribute}.${r.name}`;
const per20 = (alarms: number, rules: number) => (rules ? (alarms * 20) / rules : 0).toFixed(2);

async function main(): Promise<void> {
  const { url, stop } = await databaseUrl();
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  const tables: string[] = [];
  const totals = { planted: 0, caught: 0, rules: 0, alarms: 0, cleanRules: 0, cleanAlarms: 0 };
  try {
    console.log(`today ${today}`);
    for (const dataset of [loans(today), transactions(today), customers(today)]) {
      const dirtyTable = `bench_proposals_${dataset.name}_dirty_${suffix}`;
      const cleanTable = `bench_proposals_${dataset.name}_clean_${suffix}`;
      tables.push(dirtyTable, cleanTable);
      await load(sql, dirtyTable, dataset, dataset.dirty);
      await load(sql, cleanTable, dataset, dataset.clean);

      const started = performance.now();
      const rules = await propose(sql, dataset, dirtyTable);
      const proposeMs = performance.now() - started;
      const onDirty = await run(sql, dirtyTable, rules);
      const onClean = await run(sql, cleanTable, rules);
      const cleanRules = await propose(sql, dataset, cleanTable);
      const cleanOnClean = await run(sql, cleanTable, cleanRules);

      const columns = Object.keys(dataset.columns).length;
      console.log(
        `\n${dataset.name}: ${dataset.dirty.length.toLocaleString("en-US")} rows, ${columns} columns, ` +
          `${rules.length} rules proposed in ${proposeMs.toFixed(0)} ms`,
      );
      let caught = 0;
      for (const [kind, planted] of dataset.planted) {
        // Caught: a rule fails a planted row that it passes in the clean copy (the defect, not the row, fails it).
        const by = onDirty.filter((o, i) => planted.some((row) => o.rows.has(row) && !onClean[i]!.rows.has(row)));
        if (by.length) caught++;
        console.log(
          `  ${by.length ? "caught" : "MISSED"}  ${kind} (${planted.length} rows)${by.length ? `: ${by.map((o) => label(o.rule)).join(", ")}` : ""}`,
        );
      }
      const alarms = onClean.filter((o) => o.failed > 0);
      const cleanAlarms = cleanOnClean.filter((o) => o.failed > 0);
      console.log(
        `  kinds caught ${caught}/${dataset.planted.size} (${((caught / dataset.planted.size) * 100).toFixed(0)}%)`,
      );
      console.log(
        `  false alarms on the clean copy: ${alarms.length} of ${rules.length} rules (${per20(alarms.length, rules.length)} per 20 rules)` +
          `${alarms.length ? `: ${alarms.map((o) => `${label(o.rule)} ${o.failed} rows`).join(", ")}` : ""}`,
      );
      console.log(
        `  the clean copy's own proposals on it: ${cleanAlarms.length} of ${cleanRules.length} rules fail (${per20(cleanAlarms.length, cleanRules.length)} per 20 rules)` +
          `${cleanAlarms.length ? `: ${cleanAlarms.map((o) => `${label(o.rule)} ${o.failed} rows`).join(", ")}` : ""}`,
      );
      if (process.env.BENCH_DETAIL) {
        for (const o of onDirty)
          console.log(`    ${label(o.rule)}  ${describeRule(o.rule.definition)}  — ${o.rule.rationale}`);
      }
      totals.planted += dataset.planted.size;
      totals.caught += caught;
      totals.rules += rules.length;
      totals.alarms += alarms.length;
      totals.cleanRules += cleanRules.length;
      totals.cleanAlarms += cleanAlarms.length;
    }
    console.log(
      `\nall: kinds caught ${totals.caught}/${totals.planted} (${((totals.caught / totals.planted) * 100).toFixed(0)}%, goal >= 90%); ` +
        `false alarms ${totals.alarms} of ${totals.rules} rules on the clean copies (${per20(totals.alarms, totals.rules)} per 20 rules, goal <= 1); ` +
        `clean copies' own proposals: ${totals.cleanAlarms} of ${totals.cleanRules} (${per20(totals.cleanAlarms, totals.cleanRules)} per 20 rules)`,
    );
  } finally {
    for (const table of tables) await sql.unsafe(`drop table if exists ${quoteTable(SCHEMA, table)}`);
    await sql.end();
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
