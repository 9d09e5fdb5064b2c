// The generation jobs: one LLM call per batch of the job's targets, each recorded in llm_interactions and
// stored with the transaction that completes it. A batch whose call completed before (an earlier run of the
// job) is replayed from the record: not called, paid or stored again. A batch whose call was answered but not
// stored (the worker stopped in between) stores the recorded answer: not called or paid again.
import type postgres from "postgres";
import { asService } from "../jobs/queue.ts";
import { type JobContext, type JobHandler, PermanentJobError } from "../jobs/worker.ts";
import { createProvider } from "../llm/create-provider.ts";
import { LlmOutputError, LlmRequestError } from "../llm/errors.ts";
import { DEFAULT_BATCH_SIZE } from "../llm/prompts/batches.ts";
import type { LlmProvider } from "../llm/provider.ts";
import type { GenerationContext } from "../llm/types.ts";
import { batchKey, chunk, type GenerationJobMetadata, jobMetadata } from "./job.ts";
import { HEURISTIC_PROVIDER } from "../llm/config.ts";
import type { DataProbe } from "../llm/types.ts";
import { dataProbe, tableProbe } from "../rules/probe.ts";
import { connectSource, type SourceDatabase } from "../sources/connect.ts";
import { type SourcePolicy, sourcePolicyFromEnv } from "../sources/policy.ts";
import {
  columnBatch,
  type LoadedAttribute,
  loadAttributes,
  loadClassifications,
  loadScopingAttributes,
  loadSources,
  requireDraft,
} from "./load.ts";
import { DatabaseRecorder } from "./recorder.ts";
import { type Provenance, storeAttributes, storeRules, storeScoping } from "./store.ts";

export interface GenerationOptions {
  /** The configured provider by default (offline heuristic without an API key). */
  provider?: LlmProvider;
  /** Which hosts database sources may be on, for the offline provider's probe; from the environment by default. */
  sourcePolicy?: SourcePolicy;
  /** Columns or attributes per call. */
  batchSize?: number;
}

export interface GenerationSummary {
  kind: GenerationJobMetadata["kind"];
  version_id: string;
  provider: string;
  model: string;
  batches: number;
  /** Items of the draft proposed by this job (all its runs). */
  proposed: Record<string, number>;
  /** Every attempt of every call of this job, failed ones included. */
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** Refusals by the database while storing (bad state, invalid data) that a retry would only pay for again. */
function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && "severity" in (error as object) && /^(PT4|22|23514|23503)/.test(code);
}

/**
 * A store that failed for any other reason than a refusal (a lost connection or lease) leaves its answer on
 * record for the job's next run to store.
 */
const storeMayBeRetried = (error: unknown) => !refusedByDatabase(error);

/** Maps a batch's failure to the job's: invalid output and refusals fail the job; transient trouble retries it. */
function jobError(error: unknown, batch: number): unknown {
  const where = `Batch ${batch + 1}`;
  if (error instanceof LlmOutputError) {
    const issues = error.issues.length ? `\n${error.issues.slice(0, 20).join("\n")}` : "";
    return new PermanentJobError(`${where}: the answer was refused (${error.problem}): ${error.message}${issues}`);
  }
  if (error instanceof LlmRequestError && (error.reason === "client_error" || error.reason === "cancelled")) {
    return new PermanentJobError(`${where}: the provider refused the request (${error.reason}): ${error.message}`);
  }
  if (refusedByDatabase(error)) return new PermanentJobError(`${where}: ${(error as Error).message}`);
  return error;
}

interface Run {
  context: JobContext;
  sourcePolicy: SourcePolicy;
  metadata: GenerationJobMetadata;
  provider: LlmProvider;
  recorder: DatabaseRecorder;
  provenance: Provenance;
  batchSize: number;
  generation: GenerationContext;
}

/** Runs the batches in order, reporting progress after each. */
async function eachBatch<T>(run: Run, targets: T[], call: (batch: T[], key: string) => Promise<void>): Promise<number> {
  const batches = chunk(targets, run.batchSize);
  for (const [i, batch] of batches.entries()) {
    run.context.signal.throwIfAborted();
    try {
      await call(batch, batchKey(run.context.job, i));
    } catch (error) {
      throw jobError(error, i);
    }
    const percent = Math.min(99, Math.floor(((i + 1) / batches.length) * 100));
    await run.context.progress(percent, `${i + 1} of ${batches.length} batches proposed`);
  }
  return batches.length;
}

async function proposeAttributes(sql: postgres.Sql, run: Run & { metadata: { kind: "planning_attributes" } }) {
  const versionId = run.metadata.version_id;
  const { sources, classifications } = await asService(sql, async (tx) => {
    await requireDraft(tx, versionId, "planning");
    return { sources: await loadSources(tx, versionId), classifications: await loadClassifications(tx, versionId) };
  });
  return await eachBatch(run, run.metadata.targets, async (targets, key) => {
    const dataSources = columnBatch(targets, sources, classifications);
    if (dataSources.length === 0) return;
    await run.provider.proposeAttributes<postgres.TransactionSql>(
      { ...run.generation, dataSources },
      {
        recorder: run.recorder,
        idempotencyKey: key,
        signal: run.context.signal,
        storeMayBeRetried,
        store: async (output, tx) => void (await storeAttributes(tx, versionId, sources, output, run.provenance)),
      },
    );
  });
}

async function proposeRules(sql: postgres.Sql, run: Run & { metadata: { kind: "profiling_rules" } }) {
  const versionId = run.metadata.version_id;
  const attributes = await asService(sql, async (tx) => {
    await requireDraft(tx, versionId, "data_profiling");
    return await loadAttributes(tx, run.metadata.targets);
  });
  // The offline provider reads the sources' rows (never a remote model: it is given no probe).
  const probe =
    run.provider.name === HEURISTIC_PROVIDER
      ? sourceProbe(sql, attributes, run.sourcePolicy, run.context.job.id)
      : undefined;
  try {
    return await eachBatch(run, run.metadata.targets, async (ids, key) => {
      const batch = ids.flatMap((id) => attributes.get(id) ?? []);
      if (batch.length === 0) return;
      await proposeBatch(run, versionId, batch, key, probe);
    });
  } finally {
    await probe?.close();
  }
}

async function recommendScoping(sql: postgres.Sql, run: Run & { metadata: { kind: "scoping_recommendations" } }) {
  const versionId = run.metadata.version_id;
  const attributes = await asService(sql, async (tx) => {
    await requireDraft(tx, versionId, "scoping");
    return await loadScopingAttributes(tx, versionId, run.metadata.targets);
  });
  return await eachBatch(run, run.metadata.targets, async (ids, key) => {
    const batch = ids.flatMap((id) => attributes.get(id) ?? []);
    if (batch.length === 0) return;
    const idsByName = new Map(batch.map((a) => [a.name, a.decisionId]));
    await run.provider.recommendScoping<postgres.TransactionSql>(
      { ...run.generation, attributes: batch },
      {
        recorder: run.recorder,
        idempotencyKey: key,
        signal: run.context.signal,
        storeMayBeRetried,
        store: async (output, tx) => void (await storeScoping(tx, idsByName, output, run.provenance)),
      },
    );
  });
}

async function proposeBatch(
  run: Run,
  versionId: string,
  batch: LoadedAttribute[],
  key: string,
  probe: DataProbe | undefined,
): Promise<void> {
  const idsByName = new Map(batch.map((a) => [a.name, a.id]));
  await run.provider.proposeRules<postgres.TransactionSql>(
    { ...run.generation, attributes: batch, probe },
    {
      recorder: run.recorder,
      idempotencyKey: key,
      signal: run.context.signal,
      storeMayBeRetried,
      store: async (output, tx) => void (await storeRules(tx, versionId, idsByName, output, run.provenance)),
    },
  );
}

/**
 * Reads the attributes' source tables where rule execution would (uploads as rule_executor, database sources
 * through the source policy). A source that cannot be read leaves the provider with its profile alone.
 */
function sourceProbe(
  sql: postgres.Sql,
  attributes: Map<string, LoadedAttribute>,
  policy: SourcePolicy,
  jobId: string,
): DataProbe & { close(): Promise<void> } {
  const sources = new Map(
    [...attributes.values()].map((a) => [`${a.source.dataSource}\u0000${a.source.table}`, a.dataSource]),
  );
  const open: SourceDatabase[] = [];
  const probe = dataProbe(async (ref) => {
    const source = sources.get(`${ref.dataSource}\u0000${ref.table}`);
    if (!source) return undefined;
    try {
      const database = await connectSource(sql, source, policy, jobId, "rule proposals");
      open.push(database);
      const { db, role, executionToken } = database;
      return tableProbe(db, { schema: source.schema_name, table: source.table_name, role, executionToken });
    } catch (error) {
      console.warn(`generation: data source ${source.name} cannot be read for proposals: ${error}`);
      return undefined;
    }
  });
  const guarded =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R | undefined>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (error) {
        console.warn(`generation: reading a data source for proposals failed: ${error}`);
        return undefined;
      }
    };
  return {
    distributions: guarded(probe.distributions),
    failures: guarded(probe.failures),
    close: async () => void (await Promise.all(open.map((d) => d.close()))),
  };
}

/** Totals of the job from the database, so a job resumed after a crash counts its earlier runs too. */
async function summarise(tx: postgres.TransactionSql, run: Run, batches: number): Promise<GenerationSummary> {
  const { job } = run.context;
  const [usage] = await tx<[{ calls: number; input_tokens: number; output_tokens: number; cost_usd: number }]>`
    select count(*)::int as calls, coalesce(sum(input_tokens), 0)::int as input_tokens,
           coalesce(sum(output_tokens), 0)::int as output_tokens, coalesce(sum(cost_usd), 0)::float8 as cost_usd
      from public.llm_interactions where job_id = ${job.id}`;
  const versionId = run.metadata.version_id;
  const [proposed] =
    run.metadata.kind === "planning_attributes"
      ? await tx<[Record<string, number>]>`
          select (select count(*)::int from public.planning_attributes
                   where version_id = ${versionId} and llm_metadata ->> 'generation_job_id' = ${job.id}) as attributes,
                 (select count(*)::int from public.planning_pde_mappings
                   where version_id = ${versionId} and llm_metadata ->> 'generation_job_id' = ${job.id}) as pde_mappings`
      : run.metadata.kind === "scoping_recommendations"
        ? await tx<[Record<string, number>]>`
            select count(*)::int as recommendations,
                   (count(*) filter (where recommended_in_scope))::int as in_scope,
                   (count(*) filter (where not recommended_in_scope))::int as out_of_scope
              from public.scoping_decisions where version_id = ${versionId} and recommendation_job_id = ${job.id}`
        : await tx<[Record<string, number>]>`
            select count(*)::int as rules from public.profiling_rules
             where version_id = ${versionId} and llm_metadata ->> 'generation_job_id' = ${job.id}`;
  const summary: GenerationSummary = {
    kind: run.metadata.kind,
    version_id: run.metadata.version_id,
    provider: run.provider.name,
    model: run.provider.model,
    batches,
    proposed: proposed!,
    ...usage!,
  };
  // Shown with the draft; a draft submitted meanwhile keeps its summary as it was.
  await tx`
    update public.artifact_versions
       set generation_summary = generation_summary || ${tx.json({ [summary.kind]: summary } as unknown as postgres.JSONValue)}
     where id = ${summary.version_id} and version_status = 'draft'`;
  return summary;
}

/** The handler of the generation job types. */
export function generationHandler(sql: postgres.Sql, options: GenerationOptions = {}): JobHandler {
  const provider = options.provider ?? createProvider();
  const sourcePolicy = options.sourcePolicy ?? sourcePolicyFromEnv();
  return async (context) => {
    const metadata = jobMetadata(context.job);
    const run: Run = {
      context,
      sourcePolicy,
      metadata,
      provider,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      provenance: { provider: provider.name, model: provider.model, jobId: context.job.id },
      generation: { regulatoryContext: metadata.regulatory_context, reportType: metadata.report_type },
      recorder: new DatabaseRecorder(
        sql,
        { userId: context.job.created_by, versionId: metadata.version_id, jobId: context.job.id },
        (fn) => context.write(fn),
      ),
    };
    const batches =
      metadata.kind === "planning_attributes"
        ? await proposeAttributes(sql, { ...run, metadata })
        : metadata.kind === "scoping_recommendations"
          ? await recommendScoping(sql, { ...run, metadata })
          : await proposeRules(sql, { ...run, metadata });
    return await context.write((tx) => summarise(tx, run, batches));
  };
}
