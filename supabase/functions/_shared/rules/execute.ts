// Runs a compiled plan in one read-only transaction with a statement timeout, optionally as the
// rule_executor role (absent on external databases), presenting the run's rule-execution token. A chunk that errors is retried rule by rule, so
// one bad rule gets an error result and the others still get theirs. Each rule has a time budget: a
// chunk may take the budgets of its rules, a rule retried alone its own, and a rule that exceeds it is
// reported as an error saying so. Errors never quote the database's message, which may hold a value of
// the data ("invalid input syntax for type bigint: \"123-45-6789\""): they name the SQLSTATE, the rule
// and its columns.
import type postgres from "postgres";
import { isConnectionLost, transaction, untilTransactionEnds } from "../transaction.ts";
import { type ColumnInfo, definitionColumns } from "./columns.ts";
import {
  type CompiledPlan,
  type CompiledRule,
  type CompiledStatement,
  sampleStatement,
  scanStatement,
} from "./compile.ts";
import type { SqlQuery } from "./sql-text.ts";
import type { TableStatistics } from "./value-pass.ts";

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
  /**
   * On the project database: the rule-execution token (private.open_rule_execution) that lets rule_executor read
   * this run's source_data table; without it the table reads as empty. Null on external databases.
   */
  executionToken?: string | null;
  statementTimeoutMs?: number;
  /**
   * Time one rule may take (default 30 s, never more than the statement timeout): a statement of n rules
   * may take n budgets, and a rule that exceeds its budget alone gets an error result saying so.
   */
  ruleBudgetMs?: number;
  /** Rules failing at most this many rows are sampled together in one branch that reads the whole table. */
  combinedSampleLimit?: number;
  onProgress?: (result: RuleResult, completed: number, total: number) => void | Promise<void>;
}

/**
 * Settings of the execution transaction. JIT compilation of a statement with dozens of filtered aggregates
 * costs more than it saves at any table size we see; uniqueness passes group in memory (a hash table per
 * column set) rather than spilling or sorting.
 */
export const EXECUTION_SETTINGS = { jit: "off", work_mem: "64MB" } as const;

type Tx = postgres.TransactionSql;
type Counts = { total: number; failed: number[]; sample?: Record<string, unknown>[] };

/** Applies the execution settings to a read-only transaction: empty search_path, timeout, settings, role. */
export async function prepareTransaction(
  tx: Tx,
  {
    role = "rule_executor",
    statementTimeoutMs = 60_000,
    executionToken = null,
  }: Pick<ExecuteOptions, "role" | "statementTimeoutMs" | "executionToken"> = {},
): Promise<void> {
  await tx`select set_config('search_path', '', true), set_config('statement_timeout', ${String(statementTimeoutMs)}, true),
    set_config('jit', ${EXECUTION_SETTINGS.jit}, true), set_config('work_mem', ${EXECUTION_SETTINGS.work_mem}, true)`;
  if (executionToken) await tx`select set_config('regtest.rule_execution', ${executionToken}, true)`;
  if (role) await tx`select set_config('role', ${role}, true)`;
}

export const DEFAULT_RULE_BUDGET_MS = 30_000;

/** Condition names of the SQLSTATEs rules meet, for people reading an error result. */
const CONDITIONS: Record<string, string> = {
  "22P02": "invalid_text_representation",
  "22003": "numeric_value_out_of_range",
  "22012": "division_by_zero",
  "22007": "invalid_datetime_format",
  "22008": "datetime_field_overflow",
  "22001": "string_data_right_truncation",
  "22023": "invalid_parameter_value",
  "2201B": "invalid_regular_expression",
  "22021": "character_not_in_repertoire",
  "42703": "undefined_column",
  "42P01": "undefined_table",
  "42883": "undefined_function",
  "42804": "datatype_mismatch",
  "42501": "insufficient_privilege",
  "53200": "out_of_memory",
  "54000": "program_limit_exceeded",
  "54001": "statement_too_complex",
  "57014": "query_canceled",
};

/** A SQLSTATE, when the error is the database's (postgres.js keeps it in `code`). */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * An error result's text: the SQLSTATE (or the kind of failure), the rule and its columns, and never the
 * database's message, which may quote a value of the data. A timeout under the rule's budget says so.
 */
export function ruleErrorText(error: unknown, rule: CompiledRule, budgetMs?: number): string {
  const columns = definitionColumns(rule.definition);
  const where = `rule ${rule.id} on column${columns.length === 1 ? "" : "s"} ${columns.join(", ")}`;
  const state = sqlState(error);
  if (state === "57014" && budgetMs !== undefined) {
    return `The rule exceeded its time budget of ${budgetMs} ms (SQLSTATE 57014 query_canceled; ${where}).`;
  }
  if (state) {
    return `The rule failed with SQLSTATE ${state}${CONDITIONS[state] ? ` ${CONDITIONS[state]}` : ""} (${where}).`;
  }
  const kind = (error as { code?: unknown } | null)?.code;
  return `The rule could not run: ${typeof kind === "string" && /^[A-Z_]{1,40}$/.test(kind) ? kind : "unexpected error"} (${where}).`;
}

/**
 * Runs one statement in a savepoint under its own statement timeout, so its failure leaves the transaction usable
 * for the next (postgres.js fails a transaction in which any query failed outside a savepoint). On a lost
 * connection the savepoint's ROLLBACK TO would be written to a closed socket, so then the callback never settles
 * (see transaction.ts).
 */
async function runValues(tx: Tx, query: SqlQuery, timeoutMs: number): Promise<unknown[][]> {
  return await tx.savepoint(async (sp) => {
    try {
      await sp`select set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true)`;
      return await sp.unsafe(query.sql, query.params, { prepare: false }).values();
    } catch (error) {
      if (isConnectionLost(error)) return await untilTransactionEnds;
      throw error;
    }
  });
}

/** Rethrows a lost connection: nothing more can run on it, and the work is resumed elsewhere. */
function unlessConnectionLost(error: unknown): void {
  if (isConnectionLost(error)) throw error;
}

function rowObject(values: unknown[], columns: ColumnInfo[], offset: number): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [c.name, values[offset + i]]));
}

function result(rule: CompiledRule, c: Counts, index: number, durationMs: number): RuleResult {
  const { total } = c;
  const failed = c.failed[index]!;
  return {
    ruleId: rule.id,
    status: "completed",
    total,
    failed,
    passed: total - failed,
    passRate: total === 0 ? 100 : Math.round(((total - failed) / total) * 1e6) / 1e4,
    durationMs,
    failedRowsQuery: rule.failedRowsText,
    ...(c.sample ? { sample: c.sample } : {}),
  };
}

/** Runs a scan (values total, r0, r1…) or a grouped pass (total, failed, then sample rows flagged found). */
async function counts(tx: Tx, query: CompiledStatement, columns: ColumnInfo[], timeoutMs: number): Promise<Counts> {
  const rows = await runValues(tx, query, timeoutMs);
  const first = rows[0]!;
  if (query.pass === "group") {
    const sample = rows.filter((values) => values[2] === true).map((values) => rowObject(values, columns, 3));
    return { total: Number(first[0]), failed: query.ruleIds.map(() => Number(first[1])), sample };
  }
  return { total: Number(first[0]), failed: query.ruleIds.map((_, i) => Number(first[i + 1])) };
}

/** Rule indexes of a sample row: an int[] value, parsed or in PostgreSQL's text form. */
function ruleIndexes(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return String(value).replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
}

/** Fills in the samples of failing row-level rules with one statement, or with a query per rule if it errors. */
async function addSamples(
  tx: Tx,
  plan: CompiledPlan,
  done: [CompiledRule, RuleResult][],
  rareLimit: number,
  budget: (rules: number) => number,
) {
  const { columns, sampleSize } = plan.options;
  const scanned = done.filter(([rule, r]) => rule.pass === "scan" && r.status === "completed");
  for (const [, r] of scanned) r.sample = [];
  const failing = scanned.filter(([, r]) => r.failed! > 0);
  if (failing.length === 0 || sampleSize === 0) return;
  const started = performance.now();
  try {
    const statement = sampleStatement(
      failing.map(([rule, r]) => ({ rule, failed: r.failed! })),
      plan.options,
      rareLimit,
    );
    for (const values of await runValues(tx, statement, budget(failing.length))) {
      for (const i of ruleIndexes(values[0])) {
        const sample = failing[i]![1].sample!;
        if (sample.length < sampleSize) sample.push(rowObject(values, columns, 1));
      }
    }
    const share = (performance.now() - started) / failing.length;
    for (const [, r] of failing) r.durationMs += share;
  } catch (error) {
    unlessConnectionLost(error);
    for (const [rule, r] of failing) {
      const t0 = performance.now();
      try {
        r.sample = (await runValues(tx, rule.sample, budget(1))).map((values) => rowObject(values, columns, 0));
      } catch (error) {
        unlessConnectionLost(error);
        r.sample = [];
        r.sampleError = ruleErrorText(error, rule, sqlState(error) === "57014" ? budget(1) : undefined);
      }
      r.durationMs += performance.now() - t0;
    }
  }
}

/** Executes every statement of the plan and returns one result per rule (invalid rules as errors). */
export async function executePlan(
  sql: postgres.Sql,
  plan: CompiledPlan,
  options: ExecuteOptions = {},
): Promise<RuleResult[]> {
  const { combinedSampleLimit = 1000, onProgress, statementTimeoutMs = 60_000 } = options;
  const ruleBudgetMs = Math.min(options.ruleBudgetMs ?? DEFAULT_RULE_BUDGET_MS, statementTimeoutMs);
  /** The time a statement of n rules may take: their budgets, within the statement timeout. */
  const budget = (rules: number) => Math.min(statementTimeoutMs, ruleBudgetMs * Math.max(1, rules));
  const results: RuleResult[] = [];
  const totalRules = plan.rules.size + plan.invalid.length;
  const report = async (r: RuleResult) => {
    results.push(r);
    await onProgress?.(r, results.length, totalRules);
  };
  for (const bad of plan.invalid) {
    await report({ ruleId: bad.id, status: "error", durationMs: 0, error: bad.errors.join("; ") });
  }
  await transaction(
    sql,
    async (tx) => {
      await prepareTransaction(tx, options);
      for (const statement of plan.statements) {
        const rules = statement.ruleIds.map((id) => plan.rules.get(id)!);
        const done: [CompiledRule, RuleResult][] = [];
        const started = performance.now();
        try {
          const c = await counts(tx, statement, plan.options.columns, budget(rules.length));
          const elapsed = performance.now() - started;
          rules.forEach((rule, i) => done.push([rule, result(rule, c, i, elapsed)]));
        } catch (chunkError) {
          unlessConnectionLost(chunkError);
          // Each rule of a failed scan or value pass is retried alone in a row scan, so one bad rule does not sink
          // the others. A uniqueness pass or a one-rule scan would only fail again: its rules get its error.
          const retry = statement.pass !== "group" && !(statement.pass === "scan" && rules.length === 1);
          for (const rule of rules) {
            const t0 = retry ? performance.now() : started;
            try {
              if (!retry) throw chunkError;
              const c = await counts(tx, scanStatement([rule], plan.options), plan.options.columns, budget(1));
              done.push([rule, result(rule, c, 0, performance.now() - t0)]);
            } catch (error) {
              unlessConnectionLost(error);
              // A rule that ran alone (retried, or a one-rule scan) had exactly its budget; a uniqueness pass
              // shares one statement among its rules, each with its budget.
              const timedOut = sqlState(error) === "57014";
              done.push([
                rule,
                {
                  ruleId: rule.id,
                  status: "error",
                  durationMs: performance.now() - t0,
                  error: ruleErrorText(error, rule, timedOut ? (retry ? budget(1) : budget(rules.length)) : undefined),
                  failedRowsQuery: rule.failedRowsText,
                },
              ]);
            }
          }
        }
        await addSamples(tx, plan, done, combinedSampleLimit, budget);
        for (const [, r] of done) await report(r);
      }
    },
    "read only",
  );
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

/**
 * The planner's statistics of a table for the value pass: its estimated rows and, for columns whose equal
 * values are identical to every rule (text under a deterministic collation, integers, dates, booleans), the
 * estimated distinct values. Undefined when the table has never been analyzed.
 */
export async function loadStatistics(
  sql: postgres.Sql,
  schema: string,
  table: string,
): Promise<TableStatistics | undefined> {
  const [row] = await sql<{ rows: number; distinct: Record<string, number> }[]>`
    select c.reltuples::float8 as rows,
      coalesce(jsonb_object_agg(s.attname,
          case when s.n_distinct >= 0 then s.n_distinct else -s.n_distinct * c.reltuples end)
        filter (where s.attname is not null), '{}') as distinct
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      and a.atttypid = any (array['pg_catalog.text', 'pg_catalog.varchar', 'pg_catalog.int2', 'pg_catalog.int4',
        'pg_catalog.int8', 'pg_catalog.date', 'pg_catalog.bool']::pg_catalog.regtype[])
    left join pg_catalog.pg_collation co on co.oid = a.attcollation
    left join pg_catalog.pg_stats s on s.schemaname = n.nspname and s.tablename = c.relname
      and s.attname = a.attname and not s.inherited and coalesce(co.collisdeterministic, true)
    where n.nspname = ${schema} and c.relname = ${table}
    group by c.reltuples`;
  return row && row.rows > 0 ? { rows: row.rows, distinct: row.distinct } : undefined;
}
