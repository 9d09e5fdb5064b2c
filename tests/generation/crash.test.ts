// A worker process killed in the middle of a job: batch 0 stored, batch 1's call on its way (the server holds
// the answer). The job is taken over when the lease expires; batch 0 is replayed from its record (not called or
// paid again), batch 1 is called again and every column ends up with exactly one attribute.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGenerationWorker } from "../../supabase/functions/_shared/generation/worker.ts";
import { OpenAiProvider } from "../../supabase/functions/_shared/llm/openai-provider.ts";
import type { PlanningView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import { type FakeOpenAi, hang, startFakeOpenAi } from "../support/fake-openai.ts";
import { viewOf, wellBehaved } from "./answers.ts";
import { COLUMNS, connect, createDraft, interactions, jobState, requestJob, waitFor } from "./fixture.ts";

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

it("a worker killed mid-job leaves its call on record, and the retried job stores every batch once", async () => {
  const draft = await createDraft(sql);
  const jobType = `generation.planning_attributes.crash-${randomBytes(4).toString("hex")}`;
  const jobId = await requestJob(sql, draft, jobType);
  let received = 0;
  fake.otherwise((request) => (++received === 2 ? hang() : wellBehaved(request)));

  child = spawn(
    process.execPath,
    ["--import", "tsx", path.join("supabase", "functions", "generation", "standalone-worker.ts")],
    {
      env: {
        ...process.env,
        ...LLM,
        LLM_BASE_URL: fake.baseUrl,
        GENERATION_JOB_TYPES: jobType,
        GENERATION_LEASE_SECONDS: "2",
        GENERATION_BATCH_SIZE: "3",
        GENERATION_POLL_MS: "100",
      },
      stdio: "ignore",
    },
  );
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

  const provider = new OpenAiProvider({
    provider: "openai",
    apiKey: "test-key",
    baseUrl: fake.baseUrl,
    model: "fake-model",
    priceInputPerMTok: 2.5,
    priceOutputPerMTok: 10,
    timeoutMs: 5000,
    maxAttempts: 1,
  });
  const worker = createGenerationWorker(sql, { provider, jobTypes: [jobType], batchSize: 3, leaseSeconds: 30 });
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
  const askedFor = fake.requests.map(
    (r) => viewOf<PlanningView>(r).data_sources.flatMap((s) => s.columns.map((c) => c.name))[0],
  );
  expect(askedFor).toEqual([COLUMNS[0], COLUMNS[3], COLUMNS[3], COLUMNS[6]]);
  const stored = await sql<{ source_column: string }[]>`
    select source_column from public.planning_attributes where llm_metadata ->> 'generation_job_id' = ${jobId}`;
  expect(stored.map((a) => a.source_column).sort()).toEqual([...COLUMNS].sort());
});
