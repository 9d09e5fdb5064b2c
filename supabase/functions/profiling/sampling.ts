// The sampling.draw job (public.request_sample_selection): draws a sample-selection draft's samples from a
// population too large for the API's statement timeout. The draw is run_sample_selection itself, run as the tester
// who asked (their JWT claims and the authenticated role, so the database judges their rights as it does over REST),
// in a transaction that first renews the job's lease: the samples commit only while this worker holds the job. The
// snapshot and the draw are one scan, one statement, so progress is reported by stage: claimed, scanning the
// population (with its size), recorded.
//
// A draw from a database data source (metadata.population = database) runs in the source's own database instead
// (./database-sampling.ts), as does the re-performance of one (sampling.reperform).
import type postgres from "postgres";
import { type JobContext, type JobHandler, PermanentJobError } from "../_shared/jobs/worker.ts";
import { type SourcePolicy, sourcePolicyFromEnv } from "../_shared/sources/policy.ts";
import { drawFromDatabase, reperformFromDatabase } from "./database-sampling.ts";

export const SAMPLING_JOB_TYPE = "sampling.draw";

export interface SamplingOptions {
  /** How long the draw may take (default 15 minutes): the job's own timeout, not the API's. */
  statementTimeoutMs?: number;
  /** The functions' connection, for draws from database sources (connectSource); without it they fail. */
  sql?: postgres.Sql;
  /** Which hosts database sources may be on; DATABASE_SOURCE_ALLOWED_HOSTS and _SSL by default. */
  sourcePolicy?: SourcePolicy;
}

interface DrawInput {
  version_id: string;
  data_source_id: string;
  key_column: string;
  method: string;
  size: unknown;
  parameters: unknown;
  filter: unknown;
  amount_column: string | null;
  seed: string;
  population_rows?: number | null;
  /** "database" when the population is a database data source. */
  population?: string;
}

export interface DrawSummary {
  version_id: string;
  drawn: number;
  population_row_count: number;
  generator_version: string;
  seed: string;
}

/** Refusals of the database (coded PT4xx, 22xxx, 42xxx): retrying draws nothing else. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(PT4|22|42)/.test(code);
}

export function samplingHandler(options: SamplingOptions = {}): JobHandler {
  const timeout = options.statementTimeoutMs ?? 15 * 60_000;
  let policy: SourcePolicy | undefined;
  return async (context: JobContext): Promise<DrawSummary> => {
    const input = context.job.metadata as unknown as DrawInput;
    const userId = context.job.created_by;
    if (!input?.version_id || !userId) throw new PermanentJobError("The job names no version or no tester.");
    if (input.population === "database") {
      if (!options.sql) throw new PermanentJobError("This worker cannot reach database sources.");
      policy ??= options.sourcePolicy ?? sourcePolicyFromEnv();
      return await drawFromDatabase(options.sql, context, { policy, statementTimeoutMs: timeout });
    }
    const rows = input.population_rows ? `${Number(input.population_rows).toLocaleString("en-US")} rows` : "the rows";
    await context.progress(10, `Scanning the population (${rows}) and drawing`);
    try {
      const [row] = await context.write(async (tx) => {
        // context.write renewed the lease as the service_role; the draw is the tester's.
        await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: "authenticated" })}, true),
                        set_config('role', 'authenticated', true),
                        set_config('statement_timeout', ${String(timeout)}, true)`;
        return await tx<{ drawn: number; population_row_count: string; generator_version: string; seed: string }[]>`
          select cardinality(s.drawn_keys) as drawn, s.population_row_count, s.generator_version, s.seed
            from public.run_sample_selection(${input.version_id}, ${input.data_source_id}, ${input.key_column},
              ${input.method}, ${tx.json((input.size ?? null) as postgres.JSONValue)},
              ${tx.json((input.parameters ?? {}) as postgres.JSONValue)}, ${tx.json((input.filter ?? []) as postgres.JSONValue)},
              ${input.amount_column}, ${input.seed}) s`;
      });
      await context.progress(
        95,
        `Recorded ${row!.drawn} samples of ${Number(row!.population_row_count).toLocaleString("en-US")} rows`,
      );
      return {
        version_id: input.version_id,
        drawn: Number(row!.drawn),
        population_row_count: Number(row!.population_row_count),
        generator_version: row!.generator_version,
        seed: row!.seed,
      };
    } catch (error) {
      if (isRefusal(error)) {
        const e = error as { message?: string; detail?: string };
        throw new PermanentJobError(`${e.message ?? "The draw was refused."}${e.detail ? ` (${e.detail})` : ""}`);
      }
      throw error;
    }
  };
}

/** The sampling.reperform job: re-performs a selection drawn from a database population, in that database. */
export function reperformanceHandler(options: SamplingOptions = {}): JobHandler {
  const timeout = options.statementTimeoutMs ?? 15 * 60_000;
  let policy: SourcePolicy | undefined;
  return async (context: JobContext) => {
    if (!context.job.version_id) throw new PermanentJobError("The job names no version.");
    if (!options.sql) throw new PermanentJobError("This worker cannot reach database sources.");
    policy ??= options.sourcePolicy ?? sourcePolicyFromEnv();
    return await reperformFromDatabase(options.sql, context, { policy, statementTimeoutMs: timeout });
  };
}
