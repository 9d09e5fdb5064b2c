// Workers outlive a database restart: PostgreSQL is stopped mid-job (its sessions ended, as a restart ends
// them), stays down a few seconds and starts again. The standalone worker (Node) and the profiling function's
// in-process worker (Deno) keep running without an uncaught exception, poll with backoff while the database is
// away, resume the job once it is back, and finish it with exactly one result per rule; the function answers
// requests afterwards. The restart happens on a cluster of this file's own (a copy of the test stack's
// database on another port), so the other test files, which share the stack's cluster, are not disturbed.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect as connectTcp } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../devstack/config.ts";
import { authServerLookup } from "../../supabase/functions/_shared/auth.ts";
import { createPlanningSourcesApp } from "../../supabase/functions/planning-sources/app.ts";
import { anonKey, signIn, url } from "../planning/support.ts";
import { type RestartableCluster, startClusterCopy } from "../support/restartable-cluster.ts";
import { createFixture, type Fixture, jobState, queueJob, results, waitFor } from "./fixture.ts";

const ROWS = 2000;
let cluster: RestartableCluster;
let sql: postgres.Sql;
const children: ChildProcess[] = [];
const reader = { user: `restart_reader_${randomBytes(3).toString("hex")}`, password: "reader-secret" };

const lane = (name: string) => `profiling.execute.test-restart-${name}-${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  cluster = await startClusterCopy(process.env.SUPABASE_DB_URL!);
  sql = postgres(cluster.url(), { max: 4, onnotice: () => undefined });
  await sql.unsafe(`create role ${reader.user} login password '${reader.password}'`);
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await sql?.end({ timeout: 1 });
  await cluster?.remove();
}, 60_000);

/** A job over two sources: an external table (run first) and an upload, two rules each. */
async function restartFixture(tag: string): Promise<{ fixture: Fixture; external: string }> {
  const external = `public.restart_${tag}`;
  await sql.unsafe(`create table ${external} (x integer); insert into ${external} select g from generate_series(1, ${ROWS}) g;
    grant select on ${external} to ${reader.user}`);
  const fixture = await createFixture(sql, {
    columns: [{ name: "x", pgType: "integer" }],
    external: {
      host: "127.0.0.1",
      port: cluster.port,
      database: "postgres",
      schema: "public",
      table: `restart_${tag}`,
      ...reader,
    },
    alsoUpload: true,
    fill: `insert into {table} select g from generate_series(1, ${ROWS}) g`,
    rules: [
      {
        name: "1 external x present",
        column: "x",
        ruleType: "completeness",
        definition: { kind: "not_null", column: "x" },
      },
      {
        name: "1 external x unique",
        column: "x",
        ruleType: "uniqueness",
        definition: { kind: "unique", columns: ["x"] },
      },
      {
        name: "2 upload x present",
        column: "x",
        upload: true,
        ruleType: "completeness",
        definition: { kind: "not_null", column: "x" },
      },
      {
        name: "2 upload x unique",
        column: "x",
        upload: true,
        ruleType: "uniqueness",
        definition: { kind: "unique", columns: ["x"] },
      },
    ],
  });
  return { fixture, external };
}

interface Output {
  text(): string;
}

function collect(child: ChildProcess): Output {
  let text = "";
  child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  return { text: () => text };
}

function workerEnv(jobType: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SUPABASE_DB_URL: cluster.url(),
    RULE_EXECUTOR_DB_URL: cluster.url("rule_executor", "rule-executor-local"),
    DATABASE_SOURCE_ALLOWED_HOSTS: "127.0.0.1",
    PROFILING_JOB_TYPES: jobType,
    PROFILING_LEASE_SECONDS: "30",
    PROFILING_POLL_MS: "200",
  };
}

/**
 * Runs the job with the upload's table locked, so that the external source's results are stored and the
 * upload's scan waits; then restarts the cluster under it and waits for the job to end.
 */
async function restartMidJob(fixture: Fixture, jobType: string) {
  const jobId = await queueJob(sql, fixture, jobType, { maxAttempts: 3, backoffSeconds: 1 });
  // A session of its own holds the lock until the restart ends it.
  const locker = postgres(cluster.url(), { max: 1, onnotice: () => undefined });
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const lockHeld = locker
    .begin(async (tx) => {
      await tx.unsafe(`lock table source_data.${fixture.table} in access exclusive mode`);
      locked();
      await new Promise(() => {});
    })
    .catch(() => undefined);
  await lockTaken;
  const beforeRestart = await waitFor(
    () => results(sql, jobId),
    (r) => r.length === 2,
    60_000,
    100,
  );
  await waitFor(
    async () => {
      const [row] = await sql`
        select count(*)::int as n from pg_catalog.pg_stat_activity
        where wait_event_type = 'Lock' and query like ${`%source_data%${fixture.table}%`}`;
      return row!.n as number;
    },
    (n) => n > 0,
    30_000,
    100,
  );
  expect((await jobState(sql, jobId)).status).toBe("running");
  await cluster.restart(3000);
  await lockHeld;
  await locker.end({ timeout: 1 });
  const done = await waitFor(
    () => jobState(sql, jobId).catch(() => ({ status: "unreachable" }) as { status: string }),
    (j) => j.status === "completed" || j.status === "failed",
    90_000,
    250,
  );
  return { jobId, done: await jobState(sql, jobId), beforeRestart, status: done.status };
}

async function expectOneResultPerRule(fixture: Fixture, jobId: string) {
  const stored = await results(sql, jobId);
  expect(stored.map((r) => r.rule_id).sort()).toEqual(Object.values(fixture.ruleIds).sort());
  for (const r of stored) {
    expect(r.status).toBe("completed");
    expect(Number(r.total_count)).toBe(ROWS);
    expect(Number(r.failed_count)).toBe(0);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("a database restart mid-job", () => {
  it("does not stop the standalone worker, which resumes the job to complete results", async () => {
    const { fixture } = await restartFixture(randomBytes(4).toString("hex"));
    const jobType = lane("node");
    const child = spawn(process.execPath, ["--import", "tsx", "supabase/functions/profiling/standalone-worker.ts"], {
      env: workerEnv(jobType),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    const output = collect(child);
    const { jobId, done, beforeRestart } = await restartMidJob(fixture, jobType);
    expect(beforeRestart).toHaveLength(2);
    expect(done, output.text()).toMatchObject({ status: "completed", attempts: 1 });
    expect(done.result).toMatchObject({ rules: 4, completed: 4, errors: 0 });
    await expectOneResultPerRule(fixture, jobId);
    expect(child.exitCode, output.text()).toBeNull();
    expect(output.text()).not.toMatch(/TypeError|Uncaught|unhandled/i);
    expect(output.text()).toMatch(/lost the database during job/);
    expect(output.text()).toMatch(/resuming job/);
  }, 180_000);

  it("does not stop the profiling function's in-process Deno worker, and the function answers afterwards", async () => {
    const { fixture } = await restartFixture(randomBytes(4).toString("hex"));
    const jobType = lane("deno");
    const server = await import("node:net").then(
      (net) =>
        new Promise<number>((resolve) => {
          const s = net.createServer();
          s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as { port: number }).port;
            s.close(() => resolve(port));
          });
        }),
    );
    const dir = path.join(repoRoot, "supabase", "functions", "profiling");
    const child = spawn(
      path.join(repoRoot, "node_modules", ".bin", "deno"),
      [
        "run",
        "--quiet",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        `--config=${path.join(dir, "deno.json")}`,
        path.join(repoRoot, "devstack", "serve-function.ts"),
        path.join(dir, "index.ts"),
      ],
      { cwd: dir, env: { ...workerEnv(jobType), FUNCTION_PORT: String(server) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(child);
    const output = collect(child);
    await waitFor(
      () => portOpen(server),
      (open) => open,
      60_000,
      200,
    );
    const ask = () => fetch(`http://127.0.0.1:${server}/profiling/jobs/${randomBytes(16).toString("hex")}`);
    expect((await ask()).status).toBeLessThan(500);

    const { jobId, done } = await restartMidJob(fixture, jobType);
    expect(done, output.text()).toMatchObject({ status: "completed", attempts: 1 });
    await expectOneResultPerRule(fixture, jobId);
    expect(child.exitCode, output.text()).toBeNull();
    expect(output.text()).not.toMatch(/TypeError|Uncaught|unhandled/i);
    const after = await ask();
    expect(after.status, output.text()).toBeLessThan(500);
  }, 180_000);

  it("is answered 503 database_unavailable by the functions while it lasts, and as before once it is over", async () => {
    const tester = await signIn("tester@example.com");
    const pool = postgres(cluster.url(), { max: 2, connect_timeout: 2, onnotice: () => undefined });
    const app = createPlanningSourcesApp({
      sql: pool,
      lookupUser: authServerLookup(url, anonKey),
      maxUploadBytes: 1024,
    });
    const add = async () => {
      const response = await app.request(`/planning-sources/versions/${crypto.randomUUID()}/databases`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tester.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "S",
          host: "db.bank.example",
          database: "d",
          table: "t",
          user: "u",
          password: "p",
        }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      const before = await add();
      expect(before.status).toBeGreaterThanOrEqual(400);
      expect(before.status).toBeLessThan(500);
      await cluster.stop();
      try {
        const during = await add();
        expect(during).toMatchObject({ status: 503, body: { code: "database_unavailable" } });
      } finally {
        await cluster.start();
      }
      const after = await waitFor(add, (answer) => answer.status !== 503, 30_000, 200);
      expect(after).toEqual(before);
    } finally {
      await pool.end({ timeout: 1 });
    }
  }, 120_000);
});
