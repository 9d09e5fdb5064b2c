// Samples drawn from a database data source, through supabase-js and the stack's own worker: the population is a
// table of another database of the test cluster (on loopback, which the stack's DATABASE_SOURCE_ALLOWED_HOSTS
// allows), holding the same loans as the planning version's upload. The tester queues the draw with
// request_sample_selection; the worker runs generator version 2 in the source database and records the samples.
// The keys, snapshot and strata equal those drawn from the upload with the same seed; the restricted column is
// masked (and never read: the source's login may not read it); re-performance is a job too, identical until a
// remote row changes; what cannot be drawn there is refused with a code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { requiredEnv } from "../support/env.ts";
import {
  createRemotePopulation,
  createSamplingFixture,
  type RemotePopulation,
  type SamplingFixture,
} from "../support/sampling-fixture.ts";

const ROWS = 2_000;
const sql = connect();
let remote: RemotePopulation;
let f: SamplingFixture;
let tester: SignedIn;
let owner: SignedIn;
let versionId = "";

interface JobRow {
  id: string;
  job_type: string;
  status: string;
  progress: number;
  progress_message: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

async function waitForJob(client: SignedIn, jobId: string): Promise<{ job: JobRow; seen: JobRow[] }> {
  const seen: JobRow[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { data, error } = await client.client
      .from("background_jobs")
      .select("id, job_type, status, progress, progress_message, result, error")
      .eq("id", jobId)
      .single();
    expect(error).toBeNull();
    seen.push(data as JobRow);
    if (["completed", "failed", "cancelled"].includes((data as JobRow).status)) return { job: data as JobRow, seen };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const selectionOf = async () => {
  const { data, error } = await tester.client
    .from("sample_selections")
    .select(
      "data_source_id, method, seed, generator_version, population_row_count, population_amount_sum, population_key_hash, strata, drawn_keys, run_by, snapshot_version",
    )
    .eq("version_id", versionId)
    .single();
  expect(error).toBeNull();
  return data as Record<string, unknown> & { drawn_keys: string[] };
};

const inputs = (dataSourceId: string, method: string, seed: string) => ({
  p_version_id: versionId,
  p_data_source_id: dataSourceId,
  p_key_column: "loan_id",
  p_method: method,
  p_size: { basis: "tester_set", size: method === "stratified" ? 40 : 25, reason: "known answer" },
  p_parameters: method === "stratified" ? { stratum_column: "region", allocation: "proportional" } : {},
  p_filter: [{ column: "amount", op: "gt", value: 100 }],
  p_amount_column: "amount",
  p_seed: seed,
});

/** Draws from the upload (run_sample_selection) and then from the database source (the job), with the same inputs. */
async function drawBoth(method: string, seed: string) {
  // A database population's snapshot is counted in the draw (snapshot version 1): the upload is drawn the same way.
  const upload = inputs(f.dataSourceId, method, seed);
  const local = await tester.client.rpc("run_sample_selection", {
    ...upload,
    p_parameters: { ...upload.p_parameters, snapshot: "regtest-snapshot/1 counted in the draw" },
  });
  expect(local.error).toBeNull();
  const fromUpload = await selectionOf();
  const queued = await tester.client.rpc("request_sample_selection", inputs(f.databaseSourceId!, method, seed));
  expect(queued.error).toBeNull();
  expect(queued.data).toMatchObject({ job_type: "sampling.draw", status: "queued" });
  expect(queued.data.metadata).toMatchObject({ population: "database", seed, method });
  const { job, seen } = await waitForJob(tester, queued.data.id);
  expect(job.error).toBeNull();
  expect(job.status).toBe("completed");
  return { fromUpload, fromDatabase: await selectionOf(), job, seen };
}

beforeAll(async () => {
  remote = await createRemotePopulation(sql, requiredEnv("SUPABASE_DB_URL"), {
    rows: ROWS,
    readable: ["loan_id", "amount", "region"],
  });
  f = await createSamplingFixture(sql, {
    rows: ROWS,
    database: {
      population: remote,
      attributes: [
        ["Loan id", "loan_id", "internal"],
        ["Amount", "amount", "internal"],
        ["Region", "region", "internal"],
        ["Tax id", "tax_id", "restricted"],
      ],
    },
  });
  [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
  const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
  expect(created.error).toBeNull();
  versionId = created.data.id;
}, 120_000);

afterAll(async () => {
  await remote?.drop();
  await sql.end();
});

describe("a draw from a database population", () => {
  it("draws the keys, snapshot and strata of the same rows uploaded, with the same seed (stratified)", async () => {
    const { fromUpload, fromDatabase, job, seen } = await drawBoth("stratified", "db-known-answer");
    expect(fromDatabase.data_source_id).toBe(f.databaseSourceId);
    expect(fromUpload.data_source_id).toBe(f.dataSourceId);
    expect(fromDatabase.drawn_keys).toHaveLength(40);
    expect(fromDatabase.drawn_keys).toEqual(fromUpload.drawn_keys);
    for (const field of ["population_row_count", "population_amount_sum", "population_key_hash", "strata", "seed"]) {
      expect([field, fromDatabase[field]]).toEqual([field, fromUpload[field]]);
    }
    expect(fromUpload.snapshot_version).toBe("regtest-snapshot/1 counted in the draw");
    expect(fromDatabase.snapshot_version).toBe("regtest-snapshot/1 counted in the draw");
    expect(fromDatabase).toMatchObject({
      method: "stratified",
      generator_version: "regtest-sampling/2 hashtextextended",
      population_row_count: ROWS - 10,
      run_by: tester.userId,
    });
    expect(job.result).toMatchObject({ drawn: 40, population: "database", population_row_count: ROWS - 10 });
    // Progress moved by stage, forward only.
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(job.progress).toBe(100);
  }, 120_000);

  it("records its snapshot as counted in the draw, even where an upload's draw with kept statistics came before", async () => {
    const local = await tester.client.rpc("run_sample_selection", inputs(f.dataSourceId, "simple_random", "db-kept"));
    expect(local.error).toBeNull();
    const kept = await tester.client
      .from("sample_selections")
      .select("snapshot_version, snapshot_computed_at")
      .eq("version_id", versionId)
      .single();
    expect(kept.data).toMatchObject({ snapshot_version: "regtest-snapshot/2 kept statistics" });
    expect(kept.data!.snapshot_computed_at).not.toBeNull();
    const queued = await tester.client.rpc(
      "request_sample_selection",
      inputs(f.databaseSourceId!, "simple_random", "db-kept"),
    );
    expect(queued.error).toBeNull();
    const { job } = await waitForJob(tester, queued.data.id);
    expect(job.status).toBe("completed");
    const drawn = await tester.client
      .from("sample_selections")
      .select("data_source_id, snapshot_version, snapshot_computed_at")
      .eq("version_id", versionId)
      .single();
    expect(drawn.data).toEqual({
      data_source_id: f.databaseSourceId,
      snapshot_version: "regtest-snapshot/1 counted in the draw",
      snapshot_computed_at: null,
    });
  }, 120_000);

  it("draws the keys of the same rows uploaded, with the same seed (simple random)", async () => {
    const { fromUpload, fromDatabase } = await drawBoth("simple_random", "db-simple");
    expect(fromDatabase.drawn_keys).toHaveLength(25);
    expect(fromDatabase.drawn_keys).toEqual(fromUpload.drawn_keys);
    expect(fromDatabase.population_key_hash).toBe(fromUpload.population_key_hash);
    expect(fromDatabase.population_amount_sum).toBe(fromUpload.population_amount_sum);
  }, 120_000);

  it("records the samples as the tester's, with the restricted column masked and never read", async () => {
    const { data, error } = await tester.client
      .from("sample_decisions")
      .select(
        "sample_key, sample_data:masked_sample_data, recommendation_source, recommended_by, selection_order, selection_reason",
      )
      .eq("version_id", versionId)
      .order("selection_order");
    expect(error).toBeNull();
    expect(data).toHaveLength(25);
    const first = data![0]!;
    expect(first).toMatchObject({ recommendation_source: "tester", recommended_by: tester.userId, selection_order: 1 });
    expect(first.selection_reason).toBe(`simple random: rank 1 of ${ROWS - 10}`);
    for (const sample of data!) {
      expect(Object.keys(sample.sample_data).sort()).toEqual(["amount", "loan_id", "region", "tax_id"]);
      expect(sample.sample_data.tax_id).toBe("***");
      expect(sample.sample_data.loan_id).toBe(sample.sample_key);
      expect(Number(sample.sample_data.amount)).toBe(Number(sample.sample_key.slice(1)) * 10);
    }
  });

  it("is re-performed as a job: identical, then different once a remote row changes", async () => {
    const refused = await tester.client.rpc("reperform_sample_selection", { p_version_id: versionId });
    expect(refused.error).toMatchObject({ code: "PT409", details: "database_population_reperformed_as_job" });

    // The report owner may re-perform too.
    const queued = await owner.client.rpc("request_sample_reperformance", { p_version_id: versionId });
    expect(queued.error).toBeNull();
    expect(queued.data).toMatchObject({ job_type: "sampling.reperform" });
    const { job } = await waitForJob(owner, queued.data.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({
      verdict: "identical",
      performed_in: "source_database",
      population: { changed: [] },
      samples: { missing: [], added: [], error: null },
    });
    const { data: recorded } = await tester.client
      .from("sample_reperformances")
      .select("identical, performed_by, result")
      .eq("version_id", versionId)
      .order("performed_at", { ascending: false })
      .limit(1)
      .single();
    expect(recorded).toMatchObject({ identical: true, performed_by: owner.userId });

    // A drawn row's amount changes in the source database: the snapshot says so.
    const { drawn_keys } = await selectionOf();
    await remote.admin`update finance.loans set amount = amount + 1 where loan_id = ${drawn_keys[0]!}`;
    const again = await tester.client.rpc("request_sample_reperformance", { p_version_id: versionId });
    expect(again.error).toBeNull();
    const changed = (await waitForJob(tester, again.data.id)).job;
    expect(changed.status).toBe("completed");
    expect(changed.result).toMatchObject({ verdict: "different", population: { changed: ["amount_sum"] } });

    // A key changes: the key hash and the samples differ.
    await remote.admin`update finance.loans set loan_id = 'X' || loan_id where loan_id = ${drawn_keys[1]!}`;
    const third = await tester.client.rpc("request_sample_reperformance", { p_version_id: versionId });
    const rekeyed = (await waitForJob(tester, third.data.id)).job;
    expect(rekeyed.result).toMatchObject({ verdict: "different", samples: { missing: [drawn_keys[1]] } });
    expect((rekeyed.result!.population as { changed: string[] }).changed).toContain("key_hash");
    await remote.admin`update finance.loans set loan_id = substr(loan_id, 2) where loan_id = ${"X" + drawn_keys[1]!}`;
    await remote.admin`update finance.loans set amount = amount - 1 where loan_id = ${drawn_keys[0]!}`;
  }, 120_000);
});

describe("refusals", () => {
  it("refuses what a database population cannot be drawn by, with a code, and queues nothing", async () => {
    const before = await sql`select count(*)::int as n from public.background_jobs where version_id = ${versionId}`;
    const systematic = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_method: "systematic",
    });
    expect(systematic.error).toMatchObject({ code: "PT409", details: "database_population_method_not_supported" });
    const monetary = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_method: "monetary_unit",
    });
    expect(monetary.error).toMatchObject({ code: "PT409", details: "database_population_method_not_supported" });
    const v1 = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_parameters: { generator: "regtest-sampling/1 md5-keyed" },
    });
    expect(v1.error).toMatchObject({ code: "PT400", details: "invalid_sampling_parameters" });
    const unknown = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_key_column: "no_such_column",
    });
    expect(unknown.error).toMatchObject({ code: "PT400", details: "unknown_population_column" });
    const masked = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_key_column: "tax_id",
    });
    expect(masked.error).toMatchObject({ code: "PT403", details: "masked_population_column" });
    const badFilter = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_filter: [{ column: "amount", op: "like", value: "1%" }],
    });
    expect(badFilter.error).toMatchObject({ code: "PT400", details: "invalid_population_filter" });
    const byOwner = await owner.client.rpc(
      "request_sample_selection",
      inputs(f.databaseSourceId!, "simple_random", "s"),
    );
    expect(byOwner.error).toMatchObject({ code: "PT403", details: "sample_selection_requires_tester" });
    const direct = await tester.client.rpc("run_sample_selection", inputs(f.databaseSourceId!, "simple_random", "s"));
    expect(direct.error).toMatchObject({ code: "PT409", details: "database_population_not_supported" });
    const after = await sql`select count(*)::int as n from public.background_jobs where version_id = ${versionId}`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("refuses a sample added by key, whose values cannot be read here, with a code", async () => {
    const added = await tester.client
      .from("sample_decisions")
      .insert({ version_id: versionId, sample_key: "L00001", selection_reason: "picked by hand" });
    expect(added.error).toMatchObject({ code: "PT409", details: "database_population_sample_by_key_not_supported" });
    const search = await tester.client.rpc("search_sample_population", { p_version_id: versionId, p_key_prefix: "L0" });
    expect(search.error).not.toBeNull();
    expect(search.status).toBeLessThan(500);
  });

  it("keeps the worker's functions from testers", async () => {
    for (const [fn, args] of [
      ["plan_database_sample_draw", { p_job_id: crypto.randomUUID() }],
      ["allocate_database_sample_draw", { p_job_id: crypto.randomUUID(), p_survey: {} }],
      ["record_database_sample_selection", { p_job_id: crypto.randomUUID(), p_survey: {}, p_draw: [] }],
    ] as const) {
      const { error } = await tester.client.rpc(fn, args);
      expect([fn, error?.code]).toEqual([fn, "42501"]);
    }
  });

  it("binds a filter's values: a value that is SQL draws from no rows and fails the job, the table intact", async () => {
    const queued = await tester.client.rpc("request_sample_selection", {
      ...inputs(f.databaseSourceId!, "simple_random", "s"),
      p_filter: [{ column: "region", op: "eq", value: "x'; drop table finance.loans; --" }],
    });
    expect(queued.error).toBeNull();
    const { job } = await waitForJob(tester, queued.data.id);
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/population_too_small/);
    const [{ n }] = await remote.admin<[{ n: number }]>`select count(*)::int as n from finance.loans`;
    expect(n).toBe(ROWS);
    // The failed draw left the previous one as it was.
    expect((await selectionOf()).drawn_keys).toHaveLength(25);
  }, 120_000);
});

describe("the recording function", () => {
  it("takes the selection from the job and checks what the worker brings: snapshot, ranks, allocation, masking", async () => {
    // A running draw job held by this test (the stack's worker claims only queued jobs and expired leases).
    const seed = "forged";
    const [job] = await sql<[{ id: string }]>`
      insert into public.background_jobs (job_type, status, metadata, cycle_report_id, version_id, created_by, lease_owner,
                                          lease_expires_at, started_at, attempts)
      values ('sampling.draw', 'running',
              ${sql.json({ version_id: versionId, data_source_id: f.databaseSourceId!, key_column: "loan_id", method: "simple_random", size: { basis: "tester_set", size: 3, reason: "forged" }, parameters: {}, filter: [], amount_column: "amount", seed, population: "database" })},
              ${f.cycleReportId}, ${versionId}, ${tester.userId}, 'test', now() + interval '10 minutes', now(), 1)
      returning id`;
    // The true survey and draw, computed from the upload holding the same rows.
    const [truth] = await sql<[{ survey: Record<string, unknown>; draw: { sample_key: string; rank: string }[] }]>`
      with r as (select p.loan_id, p.amount, p.region, hashtextextended(p.loan_id collate "C", private.sample_seed64(${seed})) as r
                   from ${sql("source_data")}.${sql(f.table)} p)
      select jsonb_build_object('row_count', count(*), 'amount_sum', sum(amount), 'key_hash', sum(r)::text, 'strata', '[]'::jsonb) as survey,
             (select jsonb_agg(jsonb_build_object('sample_key', d.loan_id, 'stratum', null, 'rank', d.r::text,
                        'sample_data', jsonb_build_object('loan_id', d.loan_id, 'amount', d.amount, 'region', d.region, 'tax_id', 'TAX-leaked'))
                      order by d.r, d.loan_id collate "C")
                from (select * from r order by r, loan_id collate "C" limit 3) d) as draw
        from r`;
    const record = (survey: unknown, draw: unknown) =>
      sql
        .begin(async (tx) => {
          await tx`select set_config('role', 'service_role', true)`;
          return await tx`select public.record_database_sample_selection(${job.id}, ${tx.json(survey as never)}, ${tx.json(draw as never)}) as s`;
        })
        .then(
          () => null,
          (error: { code?: string; detail?: string }) => ({ code: error.code, detail: error.detail }),
        );
    const good = truth.draw;
    expect(await record({ ...truth.survey, key_hash: "x" }, good)).toEqual({
      code: "PT400",
      detail: "invalid_database_survey",
    });
    expect(await record({ ...truth.survey, strata: [{ stratum: "north", population: 1 }] }, good)).toEqual({
      code: "PT400",
      detail: "invalid_database_survey",
    });
    expect(await record(truth.survey, [{ ...good[0]!, rank: "1" }, ...good.slice(1)])).toEqual({
      code: "PT400",
      detail: "invalid_database_draw",
    });
    expect(await record(truth.survey, good.slice(0, 2))).toEqual({ code: "PT400", detail: "invalid_database_draw" });
    expect(await record(truth.survey, [good[1], good[0], good[2]])).toEqual({
      code: "PT400",
      detail: "invalid_database_draw",
    });
    expect(await record(truth.survey, [good[0], good[0], good[1]])).toEqual({
      code: "PT409",
      detail: "population_key_not_unique",
    });
    // Right in every respect but a value of the restricted column: recorded, masked.
    expect(await record(truth.survey, good)).toBeNull();
    const { data } = await tester.client
      .from("sample_decisions")
      .select("sample_key, sample_data:masked_sample_data, recommended_by")
      .eq("version_id", versionId)
      .order("selection_order");
    expect(data!.map((d) => d.sample_key)).toEqual(good.map((d) => d.sample_key));
    expect(data!.every((d) => d.sample_data.tax_id === "***" && d.recommended_by === tester.userId)).toBe(true);
    await sql`update public.background_jobs set status = 'failed', lease_owner = null, lease_expires_at = null where id = ${job.id}`;
    // Only while the job runs.
    expect(await record(truth.survey, good)).toEqual({ code: "PT409", detail: "job_not_running" });
  });
});
