// The profiling function end to end: a tester asks for a run through the gateway (202 + job id), the
// function's own worker runs it, and the stored results match counts computed here from the same rows.
import { createClient } from "@supabase/supabase-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createFixture, type Fixture, jobState, results, waitFor } from "./fixture.ts";

const url = process.env.SUPABASE_URL!;
const anonKey = process.env.SUPABASE_ANON_KEY!;

interface Row {
  id: number;
  code: string | null;
  amount: number;
  ssn: string;
}
const rows: Row[] = Array.from({ length: 500 }, (_, i) => ({
  id: i % 250 === 7 ? 7 : i, // ids 7 and 257 share 7
  code: i % 9 === 0 ? null : `C${i % 13}`,
  amount: (i * 37) % 130,
  ssn: i % 50 === 0 ? `bad-${i}` : `123-45-${String(1000 + i).slice(-4)}`,
}));
const fill = `insert into {table} (id, code, amount, ssn) values ${rows
  .map((r) => `(${r.id}, ${r.code === null ? "null" : `'${r.code}'`}, ${r.amount}, '${r.ssn}')`)
  .join(", ")}`;
const expected = {
  "code present": rows.filter((r) => r.code === null).length,
  "amount in range": rows.filter((r) => r.amount < 0 || r.amount > 100).length,
  "id unique": rows.filter((r) => r.id === 7).length,
  "ssn format": rows.filter((r) => !/^[0-9]{3}-[0-9]{2}-[0-9]{4}$/.test(r.ssn)).length,
};

let sql: postgres.Sql;
let fixture: Fixture;

async function tokenOf(email: string): Promise<string> {
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: fixture.password });
  if (error) throw error;
  return data.session!.access_token;
}

function call(path: string, token: string | null, method = "GET"): Promise<Response> {
  return fetch(`${url}/functions/v1/profiling${path}`, {
    method,
    headers: { apikey: anonKey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

beforeAll(async () => {
  sql = connect();
  fixture = await createFixture(sql, {
    columns: [
      { name: "id", pgType: "integer" },
      { name: "code", pgType: "text" },
      { name: "amount", pgType: "numeric" },
      { name: "ssn", pgType: "text", classification: "restricted" },
    ],
    fill,
    rules: [
      {
        name: "code present",
        column: "code",
        ruleType: "completeness",
        definition: { kind: "not_null", column: "code" },
      },
      {
        name: "amount in range",
        column: "amount",
        ruleType: "validity",
        definition: { kind: "range", column: "amount", min: 0, max: 100 },
      },
      { name: "id unique", column: "id", ruleType: "uniqueness", definition: { kind: "unique", columns: ["id"] } },
      {
        name: "ssn format",
        column: "ssn",
        ruleType: "validity",
        definition: { kind: "regex", column: "ssn", pattern: "^[0-9]{3}-[0-9]{2}-[0-9]{4}$" },
      },
    ],
  });
});

afterAll(async () => {
  await sql.end();
});

describe("profiling function", () => {
  it("refuses callers without a valid session", async () => {
    expect((await call(`/versions/${fixture.versionId}/executions`, null, "POST")).status).toBe(401);
    expect((await call(`/versions/${fixture.versionId}/executions`, "not-a-jwt", "POST")).status).toBe(401);
  });

  it("lets the report owner see the version but not run it", async () => {
    const response = await call(`/versions/${fixture.versionId}/executions`, await tokenOf(fixture.ownerEmail), "POST");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      code: "execution_requires_tester",
      details: "execution_requires_tester",
    });
  });

  it("refuses ids that are not UUIDs with their reason", async () => {
    const token = await tokenOf(fixture.testerEmail);
    const version = await call("/versions/not-a-uuid/executions", token, "POST");
    expect(version.status).toBe(400);
    expect(await version.json()).toMatchObject({ code: "invalid_version_id" });
    const job = await call("/jobs/not-a-uuid", token);
    expect(job.status).toBe(400);
    expect(await job.json()).toMatchObject({ code: "invalid_job_id" });
  });

  it("queues one job for the tester (asking twice at once returns the same job) and runs it to correct results", async () => {
    const token = await tokenOf(fixture.testerEmail);
    const [first, second] = await Promise.all([
      call(`/versions/${fixture.versionId}/executions`, token, "POST"),
      call(`/versions/${fixture.versionId}/executions`, token, "POST"),
    ]);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const { job_id: jobId } = (await first.json()) as { job_id: string };
    const { job_id: secondId } = (await second.json()) as { job_id: string };
    if (secondId !== jobId) {
      // The worker may finish a small job before the second request reaches the database; a new job is
      // then right, but only once the first is no longer active.
      expect((await jobState(sql, jobId)).status).toBe("completed");
    }
    expect(first.headers.get("Location")).toMatch(new RegExp(`/profiling/jobs/${jobId}$`));

    const job = await waitFor(
      async () =>
        (await (await call(`/jobs/${jobId}`, token)).json()) as {
          status: string;
          progress: number;
          result: Record<string, number>;
        },
      (j) => j.status === "completed" || j.status === "failed",
    );
    expect(job.status).toBe("completed");
    expect(job.progress).toBe(100);
    expect(job.result).toMatchObject({ rules: 4, completed: 4, errors: 0, rules_with_failures: 4 });

    const stored = await results(sql, jobId);
    expect(stored).toHaveLength(4);
    for (const [name, failed] of Object.entries(expected)) {
      const r = stored.find((s) => s.rule_id === fixture.ruleIds[name])!;
      expect(r.status, name).toBe("completed");
      expect(Number(r.total_count), name).toBe(rows.length);
      expect(Number(r.failed_count), name).toBe(failed);
      expect(Number(r.passed_count), name).toBe(rows.length - failed);
      expect(Number(r.pass_rate), name).toBeCloseTo(((rows.length - failed) / rows.length) * 100, 3);
      expect(r.failed_sample.length, name).toBe(Math.min(20, failed));
      expect(r.failed_rows_query, name).toContain(fixture.table);
      for (const sampled of r.failed_sample) expect(sampled.ssn, name).toBe("***");
    }
  });

  it("shows the job to the report owner but not to a stranger", async () => {
    const [job] = await sql<
      { id: string }[]
    >`select id from public.background_jobs where version_id = ${fixture.versionId}`;
    const jobId = job!.id;
    expect((await call(`/jobs/${jobId}`, await tokenOf(fixture.ownerEmail))).status).toBe(200);
    const stranger = await tokenOf("tester2@example.com"); // assigned to another cycle report only
    const hiddenJob = await call(`/jobs/${jobId}`, stranger);
    expect(hiddenJob.status).toBe(404);
    expect(await hiddenJob.json()).toMatchObject({ code: "job_not_found" });
    const hiddenVersion = await call(`/versions/${fixture.versionId}/executions`, stranger, "POST");
    expect(hiddenVersion.status).toBe(404);
    expect(await hiddenVersion.json()).toMatchObject({ code: "version_not_found" });
    expect((await jobState(sql, jobId)).status).toBe("completed");
  });

  it("answers the database's refusals with their reason as code and their PT status", async () => {
    const token = await tokenOf(fixture.testerEmail);
    const [planning] = await sql<{ id: string }[]>`
      select id from public.artifact_versions where cycle_report_id = ${fixture.cycleReportId} and phase_name = 'planning'`;
    const notProfiling = await call(`/versions/${planning!.id}/executions`, token, "POST");
    expect(notProfiling.status).toBe(409);
    expect(await notProfiling.json()).toMatchObject({
      code: "version_not_profiling",
      details: "version_not_profiling",
    });

    // A new draft of the profiling phase: visible to the tester, but not approved.
    const [draft] = await sql<{ id: string }[]>`
      select id from public.create_version((select phase_id from public.artifact_versions where id = ${fixture.versionId}))`;
    const notApproved = await call(`/versions/${draft!.id}/executions`, token, "POST");
    expect(notApproved.status).toBe(409);
    const body = (await notApproved.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: "version_not_approved", details: "version_not_approved" });
    expect(body.message).toMatch(/approved/);
    const [jobs] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.background_jobs where version_id = ${draft!.id}`;
    expect(jobs!.count).toBe(0);
  });
});
