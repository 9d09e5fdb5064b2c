// A worker process killed in the middle of a job. First: batch 0 stored, batch 1's call on its way (the server
// holds the answer). The job is taken over when the lease expires; batch 0 is replayed from its record (not called
// or paid again), batch 1 is called again and every column ends up with exactly one attribute. Then: killed after
// the model answered batch 0 but before its items committed; the retried job stores the recorded answer (not
// called or paid again) and every column ends up with exactly one attribute.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGenerationWorker } from "../../supabase/functions/_shared/generation/worker.ts";
import { OpenAiProvider } from "../../supabase/functions/_shared/llm/openai-provider.ts";
import type { PlanningView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import { type FakeOpenAi, hang, startFakeOpenAi, viewOf } from "../support/fake-openai.ts";
import { wellBehaved } from "./answers.ts";
import {
  COLUMNS,
  connect,
  createDraft,
  type Interaction,
  interactions,
  jobState,
  requestJob,
  waitFor,
} from "./fixture.ts";

const workerEnv = (jobType: string) => ({
  ...process.env,
  ...LLM,
  LLM_BASE_URL: fake.baseUrl,
  GENERATION_JOB_TYPES: jobType,
  GENERATION_LEASE_SECONDS: "2",
  GENERATION_BATCH_SIZE: "3",
  GENERATION_POLL_MS: "100",
});
const spawnWorker = (jobType: string) =>
  spawn(
    process.execPath,
    ["--import", "tsx", path.join("supabase", "functions", "generation", "standalone-worker.ts")],
    {
      env: workerEnv(jobType),
      stdio: "ignore",
    },
  );
const provider = () =>
  new OpenAiProvider({
    provider: "openai",
    apiKey: "test-key",
    baseUrl: fake.baseUrl,
    model: "fake-model",
    priceInputPerMTok: 2.5,
    priceOutputPerMTok: 10,
    timeoutMs: 5000,
    maxAttempts: 1,
  });
/** The first column of each request the server received: which batch was asked for. */
const askedFor = () =>
  fake.requests.map((r) => viewOf<PlanningView>(r).data_sources.flatMap((s) => s.columns.map((c) => c.name))[0]);

const LLM = {
  LLM_API_KEY: "test-key",
  LLM_MODEL: "fake-model",
  LLM_PRICE_INPUT_PER_MTOK: "2.5",
  LLM_PRICE_OUTPUT_PER_MTOK: "10",
  LLM_MAX_ATTEMPTS: "1",
};

let sql: postgres.Sql;
let fake: FakeOpenAi;
let child: ChildProcess | undefined;

beforeAll(async () => {
  sql = connect();
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  await fake.close();
  await sql.end();
});

/** The source columns of the attributes a job stored, sorted. */
const storedColumns = async (jobId: string) =>
  (
    await sql<{ source_column: string }[]>`
      select source_column from public.planning_attributes where llm_metadata ->> 'generation_job_id' = ${jobId}`
  )
    .map((a) => a.source_column)
    .sort();

it("a worker killed mid-job leaves its call on record, and the retried job stores every batch once", async () => {
  const draft = await createDraft(sql);
  const jobType = `generation.planning_attributes.crash-${randomBytes(4).toString("hex")}`;
  const jobId = await requestJob(sql, draft, jobType);
  let received = 0;
  fake.otherwise((request) => (++received === 2 ? hang() : wellBehaved(request)));

  child = spawnWorker(jobType);
  const calls = () => interactions(sql, jobId);
  await waitFor(calls, (rows) => rows.some((r) => r.idempotency_key === `${jobId}:1` && r.status === "pending"));
  await waitFor(
    async () => fake.requests.length,
    (n) => n === 2,
  );
  child.kill("SIGKILL");
  await once(child, "exit");

  const stopped = await calls();
  expect(stopped.map((c) => [c.idempotency_key, c.status])).toEqual([
    [`${jobId}:0`, "completed"],
    [`${jobId}:1`, "pending"],
  ]);

  const worker = createGenerationWorker(sql, {
    provider: provider(),
    jobTypes: [jobType],
    batchSize: 3,
    leaseSeconds: 30,
  });
  // The job is claimable once the killed worker's lease has expired.
  await waitFor(
    () => worker.runOnce(),
    (ran) => ran,
    15_000,
  );

  expect(await jobState(sql, jobId)).toMatchObject({ status: "completed", attempts: 2, result: { calls: 4 } });
  const after = await calls();
  expect(after.map((c) => [c.idempotency_key, c.status, c.failure_reason])).toEqual([
    [`${jobId}:0`, "completed", null],
    [`${jobId}:1`, "failed", "abandoned"],
    [`${jobId}:1`, "completed", null],
    [`${jobId}:2`, "completed", null],
  ]);
  // Batch 0 was asked for once: the retried job replayed it from its record.
  expect(askedFor()).toEqual([COLUMNS[0], COLUMNS[3], COLUMNS[3], COLUMNS[6]]);
  expect(await storedColumns(jobId)).toEqual([...COLUMNS].sort());
});

it("a worker killed after the model answered but before the items committed: the retried job stores that answer once, without asking again", async () => {
  fake.requests.length = 0;
  fake.otherwise(wellBehaved);
  const draft = await createDraft(sql);
  const jobType = `generation.planning_attributes.answered-${randomBytes(4).toString("hex")}`;
  const jobId = await requestJob(sql, draft, jobType);
  const calls = () => interactions(sql, jobId);

  // Holding the data source's row keeps the worker from storing batch 0 (the items' foreign key waits on it), so
  // it is stopped between the model's answer and the commit of the items.
  const hold = await sql.reserve();
  let answered: Interaction;
  try {
    await hold`begin`;
    await hold`select 1 from public.planning_data_sources where id = ${draft.sourceId} for update`;
    child = spawnWorker(jobType);
    [answered] = (await waitFor(calls, (rows) => rows[0]?.status === "answered")) as [Interaction];
    await waitFor(
      () =>
        sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into public.planning_attributes%'`,
      (rows) => rows.length > 0,
    );
    child.kill("SIGKILL");
    await once(child, "exit");
  } finally {
    await hold`rollback`;
    hold.release();
  }

  // The answer was on record before anything was done with it: the raw content, tokens and cost.
  expect(answered.idempotency_key).toBe(`${jobId}:0`);
  expect(answered.input_tokens).toBeGreaterThan(0);
  expect(answered.output_tokens).toBeGreaterThan(0);
  expect(Number(answered.cost_usd)).toBeCloseTo((answered.input_tokens! * 2.5 + answered.output_tokens! * 10) / 1e6, 8);
  expect(answered.response).toMatchObject({ content: expect.stringContaining('"attributes"'), finishReason: "stop" });
  expect(fake.requests).toHaveLength(1);
  expect((await calls()).map((c) => [c.idempotency_key, c.status])).toEqual([[`${jobId}:0`, "answered"]]);
  expect(await storedColumns(jobId)).toEqual([]);

  const worker = createGenerationWorker(sql, {
    provider: provider(),
    jobTypes: [jobType],
    batchSize: 3,
    leaseSeconds: 30,
  });
  await waitFor(
    () => worker.runOnce(),
    (ran) => ran,
    15_000,
  );

  expect(await jobState(sql, jobId)).toMatchObject({
    status: "completed",
    attempts: 2,
    result: { calls: 3, proposed: { attributes: 7, pde_mappings: 7 } },
  });
  const after = await calls();
  expect(after.map((c) => [c.idempotency_key, c.attempt, c.status, c.failure_reason])).toEqual([
    [`${jobId}:0`, 1, "completed", null],
    [`${jobId}:1`, 1, "completed", null],
    [`${jobId}:2`, 1, "completed", null],
  ]);
  // Batch 0 was completed from the recorded answer, with its original accounting; it was asked for once.
  expect(after[0]).toMatchObject({
    id: answered.id,
    input_tokens: answered.input_tokens,
    output_tokens: answered.output_tokens,
    cost_usd: answered.cost_usd,
    response: { content: JSON.parse((answered.response as { content: string }).content) },
  });
  expect(askedFor()).toEqual([COLUMNS[0], COLUMNS[3], COLUMNS[6]]);
  // Every column once; batch 0's items committed with the transaction that completed its call.
  expect(await storedColumns(jobId)).toEqual([...COLUMNS].sort());
  const batch0 = await sql<{ xmin: string }[]>`
    select xmin::text from public.planning_attributes
     where llm_metadata ->> 'generation_job_id' = ${jobId} and source_column = any(${COLUMNS.slice(0, 3)}::text[])`;
  expect(batch0.map((a) => a.xmin)).toEqual([after[0]!.xmin, after[0]!.xmin, after[0]!.xmin]);
});
