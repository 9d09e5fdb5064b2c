// Runs a compiled plan in one read-only transaction with a statement timeout, optionally as the
// rule_executor role (absent on external databases). A chunk that errors is retried rule by rule, so
// one bad rule gets an error result and the others still get theirs.
import type postgres from "postgres";
import type { ColumnInfo } from "./columns.ts";
import { combinedSampleStatement, type CompiledPlan, type CompiledRule, scanStatement } from "./compile.ts";
import type { SqlQuery } from "./sql-text.ts";

export interface RuleResult {
  ruleId: string;
  status: "completed" | "error";
  total?: number;
  passed?: number;
  failed?: number;
  /** Percentage of rows that pass, 0–100 (100 for an empty table). */
  passRate?: number;
  /** Time of the statement that produced the counts (shared by the rules of one scan) plus the sample. */
  durationMs: number;
  sample?: Record<string, unknown>[];
  failedRowsQuery?: string;
  error?: string;
  /** Set when the counts succeeded but the sample query did not. */
  sampleError?: string;
}

export interface ExecuteOptions {
  /** Role to switch to inside the transaction; null where the database has no such role. */
  role?: string | null;
  statementTimeoutMs?: number;
  /** Rules failing at most this many rows are sampled together in one extra scan. */
  combinedSampleLimit?: number;
  onProgress?: (result: RuleResult, completed: number, total: number) => void | Promise<void>;
}

type Tx = postgres.TransactionSql;
type Counts = { total: number; failed: number[] };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function run(tx: Tx, query: SqlQuery): Promise<postgres.Row[]> {
  return await tx.savepoint((sp) => sp.unsafe(query.sql, query.params, { prepare: false }));
}

async function runValues(tx: Tx, query: SqlQuery): Promise<unknown[][]> {
  return await tx.savepoint((sp) => sp.unsafe(query.sql, query.params, { prepare: false }).values());
}

function rowObject(values: unknown[], columns: ColumnInfo[], offset: number): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [c.name, values[offset + i]]));
}

function result(rule: CompiledRule, total: number, failed: number, durationMs: number): RuleResult {
  return {
    ruleId: rule.id,
    status: "completed",
    total,
    failed,
    passed: total - failed,
    passRate: total === 0 ? 100 : Math.round(((total - failed) / total) * 1e6) / 1e4,
    durationMs,
    failedRowsQuery: rule.failedRowsText,
  };
}

async function counts(tx: Tx, query: SqlQuery & { pass: string }, size: number): Promise<Counts> {
  const [row] = await run(tx, query);
  if (query.pass === "group") return { total: Number(row!.total), failed: Array(size).fill(Number(row!.failed)) };
  return { total: Number(row!.total), failed: Array.from({ length: size }, (_, i) => Number(row![`r${i}`])) };
}

/** Fills in samples: rules with few failures in one combined scan, the others with a limited query each. */
async function addSamples(tx: Tx, plan: CompiledPlan, done: [CompiledRule, RuleResult][], limit: number) {
  const { columns, sampleSize } = plan.options;
  for (const [, r] of done) if (r.status === "completed") r.sample = [];
  const failing = done.filter(([, r]) => r.status === "completed" && r.failed! > 0);
  const rare = failing.filter(([rule, r]) => rule.pass === "scan" && r.failed! <= limit);
  const sampled = new Set<CompiledRule>();
  if (rare.length > 1) {
    const started = performance.now();
    try {
      const rows = await runValues(
        tx,
        combinedSampleStatement(
          rare.map(([rule]) => rule),
          plan.options,
        ),
      );
      for (const values of rows) {
        rare.forEach(([, r], i) => {
          if (values[i] === true && r.sample!.length < sampleSize)
            r.sample!.push(rowObject(values, columns, rare.length));
        });
      }
      for (const [rule, r] of rare) {
        sampled.add(rule);
        r.durationMs += (performance.now() - started) / rare.length;
      }
    } catch {
      for (const [, r] of rare) r.sample = [];
    }
  }
  for (const [rule, r] of failing) {
    if (sampled.has(rule)) continue;
    const started = performance.now();
    try {
      r.sample = (await runValues(tx, rule.sample)).map((values) => rowObject(values, columns, 0));
    } catch (error) {
      r.sampleError = message(error);
    }
    r.durationMs += performance.now() - started;
  }
}

/** Executes every statement of the plan and returns one result per rule (invalid rules as errors). */
export async function executePlan(
  sql: postgres.Sql,
  plan: CompiledPlan,
  options: ExecuteOptions = {},
): Promise<RuleResult[]> {
  const { role = "rule_executor", statementTimeoutMs = 60_000, combinedSampleLimit = 1000, onProgress } = options;
  const results: RuleResult[] = [];
  const totalRules = plan.rules.size + plan.invalid.length;
  const report = async (r: RuleResult) => {
    results.push(r);
    await onProgress?.(r, results.length, totalRules);
  };
  for (const bad of plan.invalid) {
    await report({ ruleId: bad.id, status: "error", durationMs: 0, error: bad.errors.join("; ") });
  }
  await sql.begin("read only", async (tx) => {
    await tx`select set_config('search_path', '', true), set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
    if (role) await tx`select set_config('role', ${role}, true)`;
    for (const statement of plan.statements) {
      const rules = statement.ruleIds.map((id) => plan.rules.get(id)!);
      const done: [CompiledRule, RuleResult][] = [];
      const started = performance.now();
      try {
        const c = await counts(tx, statement, rules.length);
        const elapsed = performance.now() - started;
        rules.forEach((rule, i) => done.push([rule, result(rule, c.total, c.failed[i]!, elapsed)]));
      } catch (chunkError) {
        for (const rule of rules) {
          const alone = statement.pass === "scan" && rules.length > 1 ? scanStatement([rule], plan.options) : statement;
          const t0 = performance.now();
          try {
            const c = await counts(tx, alone, 1);
            done.push([rule, result(rule, c.total, c.failed[0]!, performance.now() - t0)]);
          } catch (error) {
            const reason = message(rules.length > 1 ? error : chunkError);
            done.push([
              rule,
              {
                ruleId: rule.id,
                status: "error",
                durationMs: performance.now() - t0,
                error: reason,
                failedRowsQuery: rule.failedRowsText,
              },
            ]);
          }
        }
      }
      await addSamples(tx, plan, done, combinedSampleLimit);
      for (const [, r] of done) await report(r);
    }
  });
  return results;
}

/** The columns of a table with their types, in table order. */
export async function loadColumns(sql: postgres.Sql, schema: string, table: string): Promise<ColumnInfo[]> {
  const rows = await sql<ColumnInfo[]>`
    select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
    order by a.attnum`;
  return rows.map((r) => ({ name: r.name, type: r.type }));
}
