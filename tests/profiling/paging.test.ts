// The profiling workspace's lists hold every row, past the REST API's `[api] max_rows` cap on one response:
// a version of more rules than that, its run's results, the runs of the cycle report and the attributes a rule
// may check, read by the app's own functions through supabase-js signed in as the tester.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAttributeOptions, listResults, listRules, listRuns, PROFILING_JOB_TYPE } from "~/lib/profiling.server";
import type { Database } from "~/types/database";
import { connect, createFixture, type Fixture } from "./fixture.ts";

// One more than the cap (1,000 on Supabase and in supabase/config.toml), so a single response cannot hold them.
const count = 1001;

let sql: postgres.Sql;
let fixture: Fixture;
let tester: SupabaseClient<Database>;
let runId: string;

beforeAll(async () => {
  sql = connect();
  fixture = await createFixture(sql, {
    columns: [{ name: "amount", pgType: "numeric" }],
    rules: Array.from({ length: count }, (_, i) => ({
      name: `rule ${String(i + 1).padStart(4, "0")}`,
      column: "amount",
      ruleType: "completeness" as const,
      definition: { kind: "not_null", column: "amount" },
    })),
    extraAttributes: count,
  });
  // Finished runs (never queued, so no worker takes them), the newest with a result for every rule.
  const jobs = await sql<{ id: string }[]>`
    insert into public.background_jobs (job_type, status, progress, version_id, cycle_report_id, created_at, completed_at)
    select ${PROFILING_JOB_TYPE}, 'completed', 100, ${fixture.versionId}, ${fixture.cycleReportId},
           now() - make_interval(secs => n), now() - make_interval(secs => n)
    from generate_series(1, ${count}::int) as n
    order by n
    returning id`;
  runId = jobs[0]!.id;
  await sql`
    insert into public.profiling_rule_results (execution_id, rule_id, status, total_count, passed_count, failed_count, pass_rate)
    select ${runId}, id, 'completed', 10, 10, 0, 100 from public.profiling_rules where version_id = ${fixture.versionId}`;

  tester = createClient<Database>(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await tester.auth.signInWithPassword({ email: fixture.testerEmail, password: fixture.password });
  if (error) throw error;
}, 120_000);

afterAll(async () => {
  // This session only: a global sign-out would end every session of the shared demo tester, browser tests' too.
  await tester?.auth.signOut({ scope: "local" });
  await sql?.end();
});

describe("profiling lists past the API's row cap", () => {
  it("lists every rule of the version, in execution order", async () => {
    const rules = await listRules(tester, fixture.versionId);
    expect(rules).toHaveLength(count);
    expect(new Set(rules.map((r) => r.id)).size).toBe(count);
    expect(rules.map((r) => r.name)).toEqual(
      Array.from({ length: count }, (_, i) => `rule ${String(i + 1).padStart(4, "0")}`),
    );
  });

  it("lists every result of a run, in the rules' execution order", async () => {
    const results = await listResults(tester, runId);
    expect(results).toHaveLength(count);
    expect(results.map((r) => r.ruleName)).toEqual((await listRules(tester, fixture.versionId)).map((r) => r.name));
  });

  it("lists every run of the cycle report, newest first", async () => {
    const runs = await listRuns(tester, fixture.cycleReportId, []);
    expect(runs).toHaveLength(count);
    expect(new Set(runs.map((r) => r.id)).size).toBe(count);
    expect(runs[0]!.id).toBe(runId);
  });

  it("offers every approved, mapped attribute of the planning version (scoping skipped: all in scope)", async () => {
    const options = await listAttributeOptions(tester, fixture.planningVersionId, fixture.cycleReportId);
    expect(options).toHaveLength(count + 1);
    expect(new Set(options.map((o) => o.id)).size).toBe(count + 1);
  });
});
