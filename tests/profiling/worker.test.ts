// The job runner under stress: a worker process killed mid-job (another finishes it, no result lost or
// stored twice), two workers racing for one job, retries with backoff ending as failed, and rules run
// against an external PostgreSQL source. Jobs go to job types of their own, which the profiling function's
// in-process worker does not serve, so only the workers started here touch them.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobHandler } from "../../supabase/functions/_shared/jobs/worker.ts";
import { JobWorker } from "../../supabase/functions/_shared/jobs/worker.ts";
import { profilingHandler } from "../../supabase/functions/profiling/execution.ts";
import { connect, createFixture, type Fixture, jobState, queueJob, results, waitFor } from "./fixture.ts";

const ROWS = 400_000;
const COLUMNS = ["a", "b", "c", "d", "e", "f"];
// Every column and every pair of the first four: fifteen grouped passes over a large table.
const KEYS = [
  ...COLUMNS.map((c) => [c]),
  ...["ab", "ac", "ad", "bc", "bd", "cd", "ae", "be", "ce"].map((p) => p.split("")),
];

let sql: postgres.Sql;
let big: Fixture;
const children: ChildProcess[] = [];
const workers: JobWorker[] = [];

/** An external source no server listens at. */
const unreachable = {
  host: "127.0.0.1",
  port: 1,
  database: "nowhere",
  schema: "public",
  table: "t",
  user: "nobody",
  password: "secret",
};

const lane = (name: string) => `profiling.execute.test-${name}-${randomBytes(4).toString("hex")}`;

function startProcessWorker(jobType: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "supabase/functions/profiling/standalone-worker.ts"], {
    env: { ...process.env, PROFILING_JOB_TYPES: jobType, PROFILING_LEASE_SECONDS: "2", PROFILING_POLL_MS: "100" },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

function startWorker(jobType: string, handler: JobHandler, name: string): JobWorker {
  const worker = new JobWorker(sql, {
    handlers: { [jobType]: handler },
    name,
    leaseSeconds: 2,
    pollIntervalMs: 100,
    log: () => {},
  });
  workers.push(worker);
  worker.start();
  return worker;
}

/** Failures per unique key, counted by a query of its own. */
async function expectedUniqueFailures(table: string, key: string[]): Promise<number> {
  const cols = key.map((c) => `"${c}"`).join(", ");
  const [row] = await sql.unsafe(
    `select coalesce(sum(n), 0)::int as failed from (select count(*) as n from source_data.${table} group by ${cols} having count(*) > 1) g`,
  );
  return row!.failed as number;
}

async function expectCompleteResults(jobId: string): Promise<void> {
  const stored = await results(sql, jobId);
  expect(stored).toHaveLength(KEYS.length);
  expect(new Set(stored.map((r) => r.rule_id)).size).toBe(KEYS.length);
  for (const key of KEYS) {
    const r = stored.find((s) => s.rule_id === big.ruleIds[`unique ${key.join("+")}`])!;
    expect(r.status).toBe("completed");
    expect(Number(r.total_count)).toBe(ROWS);
    expect(Number(r.failed_count), key.join("+")).toBe(await expectedUniqueFailures(big.table, key));
  }
}

beforeAll(async () => {
  sql = connect(8);
  big = await createFixture(sql, {
    columns: COLUMNS.map((name) => ({ name, pgType: "integer" })),
    fill: `insert into {table} select g % 1000, g % 777, g, g % 50000, g % 3, g % 100003 from generate_series(1, ${ROWS}) g`,
    rules: KEYS.map((key) => ({
      name: `unique ${key.join("+")}`,
      column: key[0]!,
      ruleType: "uniqueness" as const,
      definition: { kind: "unique", columns: key },
    })),
  });
  await sql.unsafe(`analyze source_data.${big.table}`);
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.stop()));
  await sql.end();
});

describe("profiling job runner", () => {
  it("finishes the job of a killed worker process without lost or duplicate results", async () => {
    const jobType = lane("crash");
    const jobId = await queueJob(sql, big, jobType);
    const first = startProcessWorker(jobType);
    await waitFor(
      () => results(sql, jobId),
      (r) => r.length >= 1,
      60_000,
      20,
    );
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const storedAtKill = (await results(sql, jobId)).length;
    expect(storedAtKill).toBeLessThan(KEYS.length);
    const killed = await jobState(sql, jobId);
    expect(killed.status).toBe("running");

    startProcessWorker(jobType);
    const done = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.status !== "running" && j.status !== "queued",
      90_000,
      200,
    );
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(2);
    expect(done.result).toMatchObject({ rules: KEYS.length, completed: KEYS.length, errors: 0 });
    await expectCompleteResults(jobId);
  }, 180_000);

  it("lets only one of two workers run a job", async () => {
    const jobType = lane("race");
    const runs: string[] = [];
    const handler = profilingHandler(sql);
    const counted =
      (name: string): JobHandler =>
      (context) => {
        runs.push(name);
        return handler(context);
      };
    const jobId = await queueJob(sql, big, jobType);
    startWorker(jobType, counted("one"), "worker one");
    startWorker(jobType, counted("two"), "worker two");
    const done = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.status === "completed" || j.status === "failed",
      90_000,
      200,
    );
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(1);
    expect(runs).toHaveLength(1);
    await expectCompleteResults(jobId);
  }, 120_000);

  it("retries a failing job with backoff and ends it as failed with the error", async () => {
    const failing = await createFixture(sql, {
      columns: [{ name: "x", pgType: "integer" }],
      external: unreachable,
      rules: [
        { name: "x present", column: "x", ruleType: "completeness", definition: { kind: "not_null", column: "x" } },
      ],
    });
    const jobType = lane("fail");
    const jobId = await queueJob(sql, failing, jobType, { maxAttempts: 3, backoffSeconds: 1 });
    startWorker(jobType, profilingHandler(sql), "failing worker");

    const retrying = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.attempts === 1 && j.status === "queued",
      20_000,
      50,
    );
    expect(retrying.error).toMatch(/ECONNREFUSED|connect/i);
    const [backoff] = await sql<{ delay: number }[]>`
      select extract(epoch from run_after - updated_at)::float8 as delay from public.background_jobs where id = ${jobId}`;
    expect(backoff!.delay).toBeGreaterThan(0.5);

    const failed = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.status === "failed",
      30_000,
      100,
    );
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatch(/ECONNREFUSED|connect/i);
    expect(await results(sql, jobId)).toHaveLength(0);
  }, 60_000);

  it("runs the rules of the other sources when one source fails, then fails the job with that source's error", async () => {
    const mixed = await createFixture(sql, {
      columns: [{ name: "x", pgType: "integer" }],
      external: unreachable,
      alsoUpload: true,
      fill: "insert into {table} select case when g % 4 = 0 then null else g end from generate_series(1, 100) g",
      rules: [
        {
          name: "external x present",
          column: "x",
          ruleType: "completeness",
          definition: { kind: "not_null", column: "x" },
        },
        {
          name: "uploaded x present",
          column: "x",
          upload: true,
          ruleType: "completeness",
          definition: { kind: "not_null", column: "x" },
        },
      ],
    });
    const jobType = lane("mixed");
    const jobId = await queueJob(sql, mixed, jobType, { maxAttempts: 1 });
    startWorker(jobType, profilingHandler(sql), "mixed worker");
    const failed = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.status === "failed",
      30_000,
      100,
    );
    expect(failed.error).toMatch(/^Data source External: .*(ECONNREFUSED|connect)/i);
    const stored = await results(sql, jobId);
    expect(stored.map((r) => [r.rule_id, r.status, Number(r.failed_count)])).toEqual([
      [mixed.ruleIds["uploaded x present"], "completed", 25],
    ]);
  }, 60_000);

  it("runs rules against an external PostgreSQL source as its own read-only user", async () => {
    const tag = randomBytes(4).toString("hex");
    const schema = `external_${tag}`;
    const user = `reader_${tag}`;
    const password = `pw-${tag}`;
    await sql.unsafe(`create schema ${schema}`);
    await sql.unsafe(`create table ${schema}.accounts (id integer, balance numeric)`);
    await sql.unsafe(
      `insert into ${schema}.accounts select g, case when g % 10 = 0 then -g else g end from generate_series(1, 1000) g`,
    );
    await sql.unsafe(`create role ${user} login password '${password}'`);
    await sql.unsafe(`grant usage on schema ${schema} to ${user}; grant select on ${schema}.accounts to ${user}`);
    const db = new URL(process.env.SUPABASE_DB_URL!);
    const external = await createFixture(sql, {
      columns: [
        { name: "id", pgType: "integer" },
        { name: "balance", pgType: "numeric", classification: "confidential" },
      ],
      external: {
        host: db.hostname,
        port: Number(db.port),
        database: db.pathname.slice(1),
        schema,
        table: "accounts",
        user,
        password,
      },
      rules: [
        {
          name: "balance not negative",
          column: "balance",
          ruleType: "validity",
          definition: { kind: "range", column: "balance", min: 0 },
        },
      ],
    });
    const jobType = lane("external");
    const jobId = await queueJob(sql, external, jobType);
    startWorker(jobType, profilingHandler(sql), "external worker");
    const done = await waitFor(
      () => jobState(sql, jobId),
      (j) => j.status === "completed" || j.status === "failed",
      30_000,
      100,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");
    const [r] = await results(sql, jobId);
    expect(Number(r!.total_count)).toBe(1000);
    expect(Number(r!.failed_count)).toBe(100);
    expect(r!.failed_sample).toHaveLength(20);
    for (const row of r!.failed_sample) expect(row.balance).toBe("***");
  }, 60_000);
});
