// Samples drawn where a database population lives (decision 037). A sampling.draw job of a database data source,
// and a sampling.reperform job of a selection drawn from one, connect to the source through connectSource (the host
// policy, the source's own read-only login) and run there, in one read-only repeatable-read transaction under a
// statement timeout, the statements the project database builds for the job (public.plan_database_sample_draw,
// allocate_database_sample_draw): generator version 2's known answers, the survey (row count, amount sum, key hash,
// strata), the draw (the allocated smallest ranks per stratum), and the drawn rows' sample columns by key (masked
// columns never read). The outcome is recorded by record_database_sample_selection or
// record_database_sample_reperformance, which check it against the job's own inputs. Values cross as JSON text, so
// that numeric sums and 64-bit ranks keep every digit.
import type postgres from "postgres";
import { type JobContext, PermanentJobError } from "../_shared/jobs/worker.ts";
import { connectSource, type SourceConnectionDetails, type SourceDatabase } from "../_shared/sources/connect.ts";
import { HostNotAllowedError, type SourcePolicy } from "../_shared/sources/policy.ts";
import { transaction } from "../_shared/transaction.ts";

export const SAMPLING_REPERFORM_JOB_TYPE = "sampling.reperform";

/** A statement built by the project database: its text and the values of $1, $2, … */
interface Statement {
  sql: string;
  params: (string | null)[];
}

interface Plan {
  kind: "draw" | "reperform";
  version_id: string;
  data_source_id: string;
  method: string;
  population: string;
  population_rows: number | null;
  check: Statement;
  survey: Statement;
  fetch: Statement;
}

interface Allocation {
  strata: { stratum: string | null; allocated: number }[];
  sample_size: number;
  draw: Statement;
  draw_all: Statement;
}

export interface DatabaseSamplingOptions {
  policy: SourcePolicy;
  /** The statement timeout in the source database (the sampling job's). */
  statementTimeoutMs: number;
}

export interface DatabaseDrawSummary {
  version_id: string;
  drawn: number;
  population_row_count: number;
  generator_version: string;
  seed: string;
  population: "database";
}

/** The remote database refused the statement itself (a column gone, a bad value): not worth a retry. */
function isStatementRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|42)/.test(code);
}

function isLocalRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^PT4/.test(code);
}

function describe(error: unknown): string {
  const e = error as { message?: string; detail?: string };
  return `${e?.message ?? String(error)}${e?.detail ? ` (${e.detail})` : ""}`;
}

/** A text[] literal of the keys, every element quoted. */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

const count = (n: number | null | undefined) => (n == null ? "the rows" : `${Number(n).toLocaleString("en-US")} rows`);

async function loadSource(context: JobContext, dataSourceId: string): Promise<SourceConnectionDetails> {
  const [source] = await context.write(
    (tx) => tx<SourceConnectionDetails[]>`
      select s.name, s.source_type, s.host, s.port, s.database_name, s.username, secret.password,
             coalesce(s.schema_name, 'public') as schema_name, s.table_name
        from public.planning_data_sources s
        left join private.planning_data_source_secrets secret on secret.data_source_id = s.id
       where s.id = ${dataSourceId}`,
  );
  if (!source || source.source_type !== "database")
    throw new PermanentJobError("The population is not a database source.");
  return source;
}

interface RemoteOutcome {
  /** The survey as JSON text; null when the statement failed before it. */
  survey: string | null;
  /** The draw as JSON text ([{sample_key, stratum, rank, sample_data}] in draw order). */
  draw: string | null;
  drawn: number;
  /** Why the population does not allow the draw (re-performance records it as the difference). */
  refusal: string | null;
}

async function runInSource(
  context: JobContext,
  database: SourceDatabase,
  plan: Plan,
  timeoutMs: number,
): Promise<RemoteOutcome> {
  const outcome: RemoteOutcome = { survey: null, draw: null, drawn: 0, refusal: null };
  const run = async (tx: postgres.TransactionSql, statement: Statement, column: string) => {
    // Read as text: the jsonb's numbers (sums, values) keep their digits.
    const rows = await tx.unsafe<{ value: string }[]>(
      `select (q.${column})::text as value from (${statement.sql}) q`,
      statement.params,
    );
    return rows[0]?.value ?? null;
  };
  await transaction(
    database.db,
    async (tx) => {
      await tx`select set_config('statement_timeout', ${String(timeoutMs)}, true),
                      set_config('search_path', 'pg_catalog, pg_temp', true)`;
      const [check] = await tx.unsafe<{ ok: boolean }[]>(plan.check.sql, plan.check.params);
      if (!check?.ok) {
        throw new PermanentJobError(
          "The source database's hashtextextended does not give generator version 2's known answers (a big-endian server?): the samples cannot be drawn there (generator_version_unavailable).",
        );
      }
      await context.progress(20, `Surveying the population (${count(plan.population_rows)}) in its database`);
      outcome.survey = await run(tx, plan.survey, "survey");
      let allocation: Allocation;
      try {
        const rows = await context.write(
          (local) =>
            local<{ allocation: Allocation }[]>`
              select public.allocate_database_sample_draw(${context.job.id}, ${outcome.survey}::text::jsonb) as allocation`,
        );
        allocation = rows[0]!.allocation;
      } catch (error) {
        if (plan.kind === "reperform" && (error as { code?: string }).code === "PT409") {
          outcome.refusal = describe(error);
          return;
        }
        throw error;
      }
      const survey = JSON.parse(outcome.survey!) as { row_count: number };
      await context.progress(60, `Drawing ${allocation.sample_size} of ${count(survey.row_count)}`);
      let drawText = await run(tx, allocation.draw, "draw");
      let draw = JSON.parse(drawText ?? "[]") as [string | null, string, string][];
      const wanted =
        plan.method === "stratified" ? allocation.strata : [{ stratum: null, allocated: allocation.sample_size }];
      const short = wanted.some((s) => draw.filter((d) => d[0] === s.stratum).length < Number(s.allocated));
      if (short) {
        // Too few candidates under some stratum's threshold: rank every row (the same samples).
        drawText = await run(tx, allocation.draw_all, "draw");
        draw = JSON.parse(drawText ?? "[]") as [string | null, string, string][];
      }
      await context.progress(80, `Reading the ${draw.length} drawn rows`);
      const keys = draw.map((d) => d[1]);
      const values = new Map<string, string>();
      if (keys.length > 0) {
        const rows = await tx.unsafe<{ k: string; v: string }[]>(
          `select q.k, (q.v)::text as v from (${plan.fetch.sql}) q`,
          [textArray(keys), ...plan.fetch.params],
        );
        for (const row of rows) {
          if (values.has(row.k)) {
            throw new PermanentJobError(
              `Key ${row.k} identifies more than one row of the population; choose a key column whose values are unique (population_key_not_unique).`,
            );
          }
          values.set(row.k, row.v);
        }
      }
      const entries = draw.map(([stratum, key, rank]) => {
        const data = values.get(key);
        if (data === undefined) throw new Error(`The drawn row of key ${key} could not be read again.`);
        return `${JSON.stringify({ sample_key: key, stratum, rank }).slice(0, -1)},"sample_data":${data}}`;
      });
      outcome.draw = `[${entries.join(",")}]`;
      outcome.drawn = entries.length;
    },
    "isolation level repeatable read read only",
  ).catch((error) => {
    // The source refused a statement (a column gone…): a re-performance records it as the difference.
    if (plan.kind === "reperform" && isStatementRefusal(error)) {
      outcome.refusal = `The source database refused the draw: ${describe(error)}`;
      outcome.draw = null;
      return;
    }
    throw error;
  });
  return outcome;
}

async function withSource<T>(
  sql: postgres.Sql,
  context: JobContext,
  options: DatabaseSamplingOptions,
  fn: (plan: Plan, database: SourceDatabase) => Promise<T>,
): Promise<T> {
  let plan: Plan;
  try {
    const rows = await context.write(
      (tx) => tx<{ plan: Plan }[]>`select public.plan_database_sample_draw(${context.job.id}) as plan`,
    );
    plan = rows[0]!.plan;
  } catch (error) {
    if (isLocalRefusal(error)) throw new PermanentJobError(describe(error));
    throw error;
  }
  const source = await loadSource(context, plan.data_source_id);
  await context.progress(10, `Connecting to the database of ${source.name} (${plan.population})`);
  let database: SourceDatabase | undefined;
  try {
    database = await connectSource(sql, source, options.policy, context.job.id, "sample selection");
    return await fn(plan, database);
  } catch (error) {
    if (error instanceof PermanentJobError) throw error;
    if (error instanceof HostNotAllowedError || isLocalRefusal(error)) throw new PermanentJobError(describe(error));
    if (plan.kind === "draw" && isStatementRefusal(error)) {
      throw new PermanentJobError(`The source database refused the draw: ${describe(error)}`);
    }
    throw error;
  } finally {
    await database?.close();
  }
}

/** A sampling.draw job of a database population: draws there and records the selection as the tester who asked. */
export async function drawFromDatabase(
  sql: postgres.Sql,
  context: JobContext,
  options: DatabaseSamplingOptions,
): Promise<DatabaseDrawSummary> {
  return await withSource(sql, context, options, async (plan, database) => {
    const outcome = await runInSource(context, database, plan, options.statementTimeoutMs);
    const [row] = await context.write(
      (tx) => tx<{ drawn: number; population_row_count: string; generator_version: string; seed: string }[]>`
        select cardinality(s.drawn_keys) as drawn, s.population_row_count, s.generator_version, s.seed
          from public.record_database_sample_selection(${context.job.id}, ${outcome.survey}::text::jsonb, ${outcome.draw}::text::jsonb) s`,
    );
    await context.progress(95, `Recorded ${row!.drawn} samples of ${count(Number(row!.population_row_count))}`);
    return {
      version_id: plan.version_id,
      drawn: Number(row!.drawn),
      population_row_count: Number(row!.population_row_count),
      generator_version: row!.generator_version,
      seed: row!.seed,
      population: "database" as const,
    };
  });
}

/** A sampling.reperform job: surveys and draws again in the source database; the verdict is recorded and returned. */
export async function reperformFromDatabase(
  sql: postgres.Sql,
  context: JobContext,
  options: DatabaseSamplingOptions,
): Promise<Record<string, unknown>> {
  return await withSource(sql, context, options, async (_plan, database) => {
    const outcome = await runInSource(context, database, _plan, options.statementTimeoutMs);
    const [row] = await context.write(
      (tx) => tx<{ result: Record<string, unknown> }[]>`
        select public.record_database_sample_reperformance(${context.job.id}, ${outcome.survey}::text::jsonb,
                 ${outcome.draw}::text::jsonb, ${outcome.refusal}) as result`,
    );
    await context.progress(95, `Re-performed: ${String(row!.result.verdict)}`);
    return row!.result;
  });
}
