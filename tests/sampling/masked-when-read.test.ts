// A sample's values are masked by the classification of the moment they are read: samples drawn while Amount was
// internal show '***' for it, over REST, in the app's samples CSV and in the audit log, once another planning
// version reading the same table classifies Amount restricted and is approved. Before, the values drawn stayed
// readable (sample_data held them, as did the audit rows of the samples).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, signInOverHttp } from "../support/app-http.ts";
import { demoPassword, signIn, type SignedIn } from "../support/auth.ts";
import { createStartedCycleReport } from "../support/cycle-report-fixture.ts";
import { connect } from "../support/db.ts";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture.ts";

const sql = connect();
let f: SamplingFixture;
let tester: SignedIn;
let owner: SignedIn;
let versionId = "";

/** Loan L00001… holds amount i × 10: the amounts the samples would show, as text. */
const amountsOf = (keys: string[]) => keys.map((k) => String(Number(k.slice(1)) * 10));

async function samplesCsv(): Promise<string> {
  const { cookie } = await signInOverHttp(f.testerEmail, demoPassword);
  const response = await fetch(
    `${appEnv().appUrl}/cycle-reports/${f.cycleReportId}/sampling/samples.csv?version=${versionId}`,
    {
      headers: { cookie },
    },
  );
  expect(response.status).toBe(200);
  return await response.text();
}

/** Another cycle report's planning version reads the same upload and classifies Amount restricted; approved. */
async function classifyAmountRestrictedElsewhere() {
  await sql.begin(async (tx) => {
    const { phases } = await createStartedCycleReport(tx, {
      reportName: "Reclassification " + f.suffix,
      regulation: "Reg R",
      cycleName: "Cycle R " + f.suffix,
      period: ["2030-04-01", "2030-06-30"],
      ownerEmail: f.ownerEmail,
      testerEmail: f.testerEmail,
    });
    const [planning] = await tx<[{ id: string }]>`select id from public.create_version(${phases.planning!})`;
    const columns = ["loan_id", "amount", "region", "tax_id"].map((name) => ({
      name,
      pgType: name === "amount" ? "numeric" : "text",
    }));
    const [source] = await tx<[{ id: string }]>`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, status, tester_decision)
      values (${planning.id}, 'Loans', 'file_upload', ${f.table}, ${tx.json({ columns })}, 60, 'ready', 'approved')
      returning id`;
    await tx`
      insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
      values (${planning.id}, 'Amount', 'decimal', ${source.id}, 'amount', 'restricted', 'approved')`;
    await tx`select public.submit_version(${planning.id})`;
    await tx`select public.approve_version(${planning.id})`;
  });
}

beforeAll(async () => {
  f = await createSamplingFixture(sql, { rows: 60 });
  [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
  const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
  expect(created.error).toBeNull();
  versionId = created.data.id;
  const run = await tester.client.rpc("run_sample_selection", {
    p_version_id: versionId,
    p_data_source_id: f.dataSourceId,
    p_key_column: "loan_id",
    p_method: "simple_random",
    p_size: { basis: "tester_set", size: 5, reason: "read-time masking" },
    p_seed: "masked-when-read",
  });
  expect(run.error).toBeNull();
}, 120_000);

afterAll(async () => {
  await sql.end();
});

describe("sample values are masked by the classification when read", () => {
  let keys: string[] = [];

  it("while Amount is internal, REST and the samples CSV show the drawn amounts; the rows hold none", async () => {
    const raw = await tester.client
      .from("sample_decisions")
      .select("*")
      .eq("version_id", versionId)
      .order("sample_key");
    expect(raw.error).toBeNull();
    keys = raw.data!.map((r) => r.sample_key as string);
    expect(keys).toHaveLength(5);
    expect(new Set(raw.data!.map((r) => JSON.stringify(r.sample_data)))).toEqual(new Set(["{}"]));

    const read = await tester.client
      .from("sample_decisions")
      .select("sample_key, sample_data:masked_sample_data")
      .eq("version_id", versionId)
      .order("sample_key");
    expect(read.error).toBeNull();
    expect(read.data!.map((r) => String((r.sample_data as Record<string, unknown>).amount))).toEqual(amountsOf(keys));
    expect(read.data!.every((r) => (r.sample_data as Record<string, unknown>).tax_id === "***")).toBe(true);

    const csv = await samplesCsv();
    for (const amount of amountsOf(keys)) expect(csv).toContain(`""amount"":${amount}`);
  });

  it("after a planning version classifies Amount restricted, nobody reads an amount: REST, CSV, audit log", async () => {
    await classifyAmountRestrictedElsewhere();
    for (const reader of [tester, owner]) {
      const read = await reader.client
        .from("sample_decisions")
        .select("*, sample_data:masked_sample_data")
        .eq("version_id", versionId)
        .order("sample_key");
      expect(read.error).toBeNull();
      expect(read.data!.map((r) => (r.sample_data as Record<string, unknown>).amount)).toEqual(Array(5).fill("***"));
      expect(read.data!.map((r) => (r.sample_data as Record<string, unknown>).loan_id)).toEqual(keys);
    }

    const csv = await samplesCsv();
    expect(csv).toContain(`""amount"":""***""`);
    for (const amount of amountsOf(keys)) expect(csv).not.toContain(`""amount"":${amount}`);

    const audit = await tester.client
      .from("audit_log")
      .select("row_id, new_values, old_values")
      .eq("table_name", "public.sample_decisions");
    expect(audit.error).toBeNull();
    const ids = new Set(
      (await tester.client.from("sample_decisions").select("id").eq("version_id", versionId)).data!.map((r) => r.id),
    );
    const ours = audit.data!.filter((a) => ids.has(a.row_id));
    expect(ours.length).toBeGreaterThanOrEqual(5);
    for (const row of ours) {
      expect(JSON.stringify(row.new_values ?? {})).not.toMatch(/"amount"/);
      expect(JSON.stringify(row.old_values ?? {})).not.toMatch(/"amount"/);
    }
  });
});
