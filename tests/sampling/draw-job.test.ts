// A large draw as a background job, through supabase-js and the stack's own worker (the profiling function's): the
// tester queues it with request_sample_selection, polls the job's progress on background_jobs until it completes,
// and finds the samples drawn as run_sample_selection would have drawn them, with generator version 2 and the seed
// fixed at queueing; the selection re-performs identically. Asking again while the job is active returns it; the
// report owner cannot queue a draw.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture.ts";

const ROWS = 300_000;
const sql = connect();
let f: SamplingFixture;
let tester: SignedIn;
let owner: SignedIn;
let versionId = "";

interface JobRow {
  id: string;
  status: string;
  progress: number;
  progress_message: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

const request = (client: SignedIn, seed?: string) =>
  client.client.rpc("request_sample_selection", {
    p_version_id: versionId,
    p_data_source_id: f.dataSourceId,
    p_key_column: "loan_id",
    p_method: "stratified",
    p_size: { basis: "tester_set", size: 40, reason: "a large population" },
    p_parameters: { stratum_column: "region", allocation: "proportional" },
    p_amount_column: "amount",
    ...(seed ? { p_seed: seed } : {}),
  });

beforeAll(async () => {
  f = await createSamplingFixture(sql, { rows: ROWS, keyDigits: 7 });
  [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
  const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
  expect(created.error).toBeNull();
  versionId = created.data.id;
}, 180_000);

afterAll(async () => {
  await sql.end();
});

describe("a draw as a background job", () => {
  it("is queued, reports progress, and records the samples as the tester's", async () => {
    const queued = await request(tester, "job-seed");
    expect(queued.error).toBeNull();
    const job = queued.data as JobRow & { job_type: string; metadata: Record<string, unknown> };
    expect(job).toMatchObject({ job_type: "sampling.draw", status: "queued" });
    expect(job.metadata).toMatchObject({ seed: "job-seed", method: "stratified", population_rows: ROWS });

    // Asking again while it is active gives the same job.
    const again = await request(tester, "job-seed");
    expect(again.error).toBeNull();
    if ((again.data as JobRow).status !== "completed") expect((again.data as JobRow).id).toBe(job.id);

    const seen: { status: string; progress: number; message: string | null }[] = [];
    let state: JobRow | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { data, error } = await tester.client
        .from("background_jobs")
        .select("id, status, progress, progress_message, result, error")
        .eq("id", job.id)
        .single();
      expect(error).toBeNull();
      state = data as JobRow;
      seen.push({ status: state.status, progress: state.progress, message: state.progress_message });
      if (["completed", "failed", "cancelled"].includes(state.status)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(state?.error ?? null).toBeNull();
    expect(state?.status).toBe("completed");
    expect(state?.progress).toBe(100);
    // Progress only moves forward, and the tester saw the scan under way before the end.
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(seen.some((s) => s.status === "running" && s.progress > 0 && s.progress < 100)).toBe(true);
    expect(seen.some((s) => s.message?.includes("300,000 rows"))).toBe(true);
    expect(state?.result).toMatchObject({
      version_id: versionId,
      drawn: 40,
      population_row_count: ROWS,
      generator_version: "regtest-sampling/2 hashtextextended",
      seed: "job-seed",
    });

    const { data: selection, error } = await tester.client
      .from("sample_selections")
      .select("method, seed, generator_version, population_row_count, drawn_keys, run_by")
      .eq("version_id", versionId)
      .single();
    expect(error).toBeNull();
    expect(selection).toMatchObject({
      method: "stratified",
      seed: "job-seed",
      generator_version: "regtest-sampling/2 hashtextextended",
      population_row_count: ROWS,
      run_by: tester.userId,
    });
    expect(selection!.drawn_keys).toHaveLength(40);
    const { count } = await tester.client
      .from("sample_decisions")
      .select("id", { count: "exact", head: true })
      .eq("version_id", versionId)
      .eq("recommended_by", tester.userId);
    expect(count).toBe(40);

    const reperformed = await tester.client.rpc("reperform_sample_selection", { p_version_id: versionId });
    expect(reperformed.error).toBeNull();
    expect(reperformed.data.verdict).toBe("identical");
  }, 180_000);

  it("draws what run_sample_selection draws with the same inputs", async () => {
    const { data: before } = await tester.client
      .from("sample_selections")
      .select("drawn_keys")
      .eq("version_id", versionId)
      .single();
    const run = await tester.client.rpc("run_sample_selection", {
      p_version_id: versionId,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "stratified",
      p_size: { basis: "tester_set", size: 40, reason: "a large population" },
      p_parameters: { stratum_column: "region", allocation: "proportional" },
      p_amount_column: "amount",
      p_seed: "job-seed",
    });
    expect(run.error).toBeNull();
    expect(run.data.drawn_keys).toEqual(before!.drawn_keys);
  }, 60_000);

  it("is the tester's to ask for: the report owner is refused", async () => {
    const refused = await request(owner);
    expect(refused.error).toMatchObject({ code: "PT403", details: "sample_selection_requires_tester" });
    const bad = await tester.client.rpc("request_sample_selection", {
      p_version_id: versionId,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "tester_set", size: 5 },
    });
    expect(bad.error).toMatchObject({ code: "PT400", details: "sample_size_reason_required" });
  });
});
