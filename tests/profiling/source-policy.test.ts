// Rule execution only connects to external sources on hosts the source policy allows: a source on a refused
// host fails with host_not_allowed's message and is never connected to; the job's other sources still run.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobWorker } from "../../supabase/functions/_shared/jobs/worker.ts";
import { hostPolicy } from "../../supabase/functions/_shared/sources/policy.ts";
import { profilingHandler } from "../../supabase/functions/profiling/execution.ts";
import { startTrapServer, type TrapServer } from "../support/trap-server.ts";
import { connect, createFixture, jobState, queueJob, results, waitFor } from "./fixture.ts";

let sql: postgres.Sql;
let trap: TrapServer;
const workers: JobWorker[] = [];

beforeAll(async () => {
  sql = connect();
  trap = await startTrapServer({ ipv6: true });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await trap.close();
  await sql.end();
});

async function runJob(host: string, policy = hostPolicy(undefined)) {
  const fixture = await createFixture(sql, {
    columns: [{ name: "x", pgType: "integer" }],
    external: {
      host,
      port: trap.port,
      database: "postgres",
      schema: "public",
      table: "t",
      user: "nobody",
      password: "secret",
    },
    alsoUpload: true,
    fill: "insert into {table} select g from generate_series(1, 10) g",
    rules: [
      { name: "external x", column: "x", ruleType: "completeness", definition: { kind: "not_null", column: "x" } },
      {
        name: "uploaded x",
        column: "x",
        upload: true,
        ruleType: "completeness",
        definition: { kind: "not_null", column: "x" },
      },
    ],
  });
  const jobType = `profiling.execute.test-policy-${randomBytes(4).toString("hex")}`;
  const jobId = await queueJob(sql, fixture, jobType, { maxAttempts: 3, backoffSeconds: 1 });
  const worker = new JobWorker(sql, {
    handlers: { [jobType]: profilingHandler(sql, { sourcePolicy: { hosts: policy, ssl: "prefer" } }) },
    name: "policy worker",
    leaseSeconds: 5,
    pollIntervalMs: 100,
    log: () => {},
  });
  workers.push(worker);
  worker.start();
  const failed = await waitFor(
    () => jobState(sql, jobId),
    (j) => j.status === "failed" || j.status === "completed",
    30_000,
    100,
  );
  return { failed, fixture, stored: await results(sql, jobId) };
}

describe("rule execution against an external source", () => {
  it("refuses a source on the cloud metadata address and still runs the other sources", async () => {
    const { failed, fixture, stored } = await runJob("169.254.169.254");
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(
      /^Data source External: Database sources may not connect to 169\.254\.169\.254: loopback, link-local, unspecified, cloud/,
    );
    expect(stored.map((r) => [r.rule_id, r.status])).toEqual([[fixture.ruleIds["uploaded x"], "completed"]]);
    expect(failed.attempts, "a refused host is not retried").toBe(1);
  }, 60_000);

  it("refuses a loopback source under the default policy without connecting to it", async () => {
    const { failed } = await runJob("127.0.0.1");
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/may not connect to 127\.0\.0\.1/);
    expect(trap.connections()).toBe(0);
  }, 60_000);

  it.each(["::127.0.0.1", "::ffff:7f00:1", "0177.0.0.1"])(
    "refuses %s, which the driver or resolver would read as loopback, without connecting to it",
    async (host) => {
      const { failed } = await runJob(host);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/Database sources may not connect to/);
      expect(failed.attempts, "a refused host is not retried").toBe(1);
      expect(trap.connections()).toBe(0);
    },
    60_000,
  );

  it("refuses a host outside an allowed-hosts list", async () => {
    const { failed } = await runJob("127.0.0.1", hostPolicy("10.0.0.0/8,db.bank.example"));
    expect(failed.error).toMatch(/not among the hosts this deployment allows/);
    expect(trap.connections()).toBe(0);
  }, 60_000);
});
