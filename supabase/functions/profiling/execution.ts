// The profiling.execute job: runs the approved executable rules of an approved profiling version, one data
// source at a time (all rules of a table compiled into few scans), and stores one result per rule in its own
// lease-checked transaction. Rules already stored for this execution (the job id) are skipped, so a job
// resumed by another worker after a crash finishes without duplicates or gaps.
import type postgres from "postgres";
import { asService } from "../_shared/jobs/queue.ts";
import { type JobContext, type JobHandler, PermanentJobError } from "../_shared/jobs/worker.ts";
import { compileRules } from "../_shared/rules/compile.ts";
import { connectSource, type SourceDatabase } from "../_shared/sources/connect.ts";
import { HostNotAllowedError, type SourcePolicy, sourcePolicyFromEnv } from "../_shared/sources/policy.ts";
import { executePlan, loadColumns, loadStatistics, type RuleResult } from "../_shared/rules/execute.ts";
import { DatabaseUnavailableError, isConnectionLost } from "../_shared/transaction.ts";
import { loadExecution, type RuleSource } from "./load.ts";

export const PROFILING_JOB_TYPE = "profiling.execute";

export interface ProfilingOptions {
  statementTimeoutMs?: number;
  /** Time each rule may take before it is reported as failed (executePlan's ruleBudgetMs). */
  ruleBudgetMs?: number;
  /** Which hosts external sources may be on, and over what SSL; DATABASE_SOURCE_ALLOWED_HOSTS and _SSL by default. */
  sourcePolicy?: SourcePolicy;
}

export interface ExecutionSummary {
  version_id: string;
  rules: number;
  completed: number;
  errors: number;
  rules_with_failures: number;
}

async function storeResult(tx: postgres.TransactionSql, executionId: string, r: RuleResult): Promise<void> {
  await tx`
    insert into public.profiling_rule_results (execution_id, rule_id, version_id, cycle_report_id, status, total_count,
      passed_count, failed_count, pass_rate, duration_ms, failed_sample, failed_rows_query, error)
    select ${executionId}, r.id, r.version_id, v.cycle_report_id, ${r.status}, ${r.total ?? null}, ${r.passed ?? null},
      ${r.failed ?? null}, ${r.passRate ?? null}, ${Math.round(r.durationMs * 10) / 10},
      ${tx.json((r.sample ?? []) as postgres.JSONValue)}, ${r.failedRowsQuery ?? null},
      ${r.error ?? (r.sampleError ? `The failed-row sample could not be read: ${r.sampleError}` : null)}
    from public.profiling_rules r join public.artifact_versions v on v.id = r.version_id
    where r.id = ${r.ruleId}
    on conflict (execution_id, rule_id) do nothing`;
}

async function runSource(
  sql: postgres.Sql,
  context: JobContext,
  source: RuleSource,
  onStored: () => { percent: number; message: string },
  options: ProfilingOptions,
  policy: SourcePolicy,
): Promise<void> {
  let database: SourceDatabase | undefined;
  try {
    database = await connectSource(sql, source, policy, context.job.id);
    await runRules(sql, database, context, source, onStored, options);
  } catch (error) {
    // An upload lives in the project database: losing it is an outage the worker waits out, not the source's fault.
    if (source.source_type === "file_upload" && isConnectionLost(error)) throw new DatabaseUnavailableError(error);
    throw error;
  } finally {
    await database?.close();
  }
}

async function runRules(
  sql: postgres.Sql,
  { db, role, executionToken }: Pick<SourceDatabase, "db" | "role" | "executionToken">,
  context: JobContext,
  source: RuleSource,
  onStored: () => { percent: number; message: string },
  options: ProfilingOptions,
): Promise<void> {
  const columns = await loadColumns(db, source.schema_name, source.table_name);
  if (columns.length === 0)
    throw new Error(
      `Table ${source.schema_name}.${source.table_name} of data source ${source.name} does not exist or has no columns.`,
    );
  // Statistics only make execution faster: without them (an old or locked-down server) rules run row by row.
  // rule_executor sees no statistics of a table behind row-level security: uploads' are read on the functions' connection.
  const statistics = await loadStatistics(
    source.source_type === "file_upload" ? sql : db,
    source.schema_name,
    source.table_name,
  ).catch((error) => {
    console.warn(`profiling: no statistics for ${source.schema_name}.${source.table_name}: ${error}`);
    return undefined;
  });
  const plan = compileRules(
    source.rules.map((r) => ({ id: r.id, definition: r.definition })),
    {
      schema: source.schema_name,
      table: source.table_name,
      columns,
      maskedColumns: source.masked_columns,
      statistics,
    },
  );
  await executePlan(db, plan, {
    role,
    executionToken,
    statementTimeoutMs: options.statementTimeoutMs,
    ruleBudgetMs: options.ruleBudgetMs,
    onProgress: async (result) => {
      context.signal.throwIfAborted();
      await context.write((tx) => storeResult(tx, context.job.id, result), onStored());
    },
  });
}

/** The job handler for profiling.execute (and any job type a dedicated worker serves with it). */
export function profilingHandler(sql: postgres.Sql, options: ProfilingOptions = {}): JobHandler {
  // Read once: a wrong DATABASE_SOURCE_ALLOWED_HOSTS stops the worker from starting, not every job.
  const policy = options.sourcePolicy ?? sourcePolicyFromEnv();
  return async (context) => {
    const versionId = context.job.version_id ?? (context.job.metadata.version_id as string | undefined);
    if (!versionId) throw new PermanentJobError("The job names no profiling version.");
    const execution = await asService(sql, (tx) => loadExecution(tx, versionId, context.job.id));
    const total = execution.sources.reduce((n, s) => n + s.rules.length, 0) + execution.storedCount;
    let stored = execution.storedCount;
    const onStored = () => {
      stored += 1;
      return { percent: Math.min(99, Math.floor((stored / total) * 100)), message: `${stored} of ${total} rules done` };
    };
    await context.progress(Math.floor((stored / Math.max(total, 1)) * 100), `${stored} of ${total} rules done`);
    // A source that fails (unreachable, table gone) does not keep the others from running: their results are
    // stored, and the job then fails with the sources' errors, so a retry runs only what is missing. A host the
    // policy refuses cannot succeed on a retry, so when only such sources failed the job fails at once.
    const failures: { message: string; permanent: boolean }[] = [];
    for (const source of execution.sources) {
      try {
        await runSource(sql, context, source, onStored, options, policy);
      } catch (error) {
        if (context.signal.aborted || error instanceof DatabaseUnavailableError) throw error;
        const message = `Data source ${source.name}: ${error instanceof Error ? error.message : String(error)}`;
        failures.push({ message, permanent: error instanceof HostNotAllowedError });
      }
    }
    if (failures.length > 0) {
      const message = failures.map((f) => f.message).join("; ");
      throw failures.every((f) => f.permanent) ? new PermanentJobError(message) : new Error(message);
    }

    const [summary] = await asService(
      sql,
      (tx) => tx<{ completed: number; errors: number; with_failures: number }[]>`
        select count(*) filter (where status = 'completed')::int as completed,
               count(*) filter (where status = 'error')::int as errors,
               count(*) filter (where failed_count > 0)::int as with_failures
          from public.profiling_rule_results where execution_id = ${context.job.id}`,
    );
    return {
      version_id: versionId,
      rules: total,
      completed: summary!.completed,
      errors: summary!.errors,
      rules_with_failures: summary!.with_failures,
    } satisfies ExecutionSummary;
  };
}
