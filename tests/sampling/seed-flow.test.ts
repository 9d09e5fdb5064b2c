// The seed's sample-selection example through supabase-js, as the tester and the report owner would do it over
// the REST API: version 1 of 100 tester-recommended samples; the owner approves 80, rejects 20 and asks for ten
// more; version 2 carries the 80 forward with their lineage and the tester draws 10 more; counters and
// decisions stay right, approved samples cannot change, and the selection re-performs identically.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture.ts";

const sql = connect();
let f: SamplingFixture;
let tester: SignedIn;
let owner: SignedIn;
let v1 = "";
let v2 = "";

interface Sample {
  id: string;
  sample_key: string;
  sample_data: Record<string, unknown>;
  recommendation_source: string;
  recommended_by: string;
  selection_order: number | null;
  carried_from_version_id: string | null;
  carried_from_decision_id: string | null;
  parent_item_id: string | null;
  item_status: string;
  report_owner_decided_by: string | null;
}

async function samples(client: SignedIn, versionId: string): Promise<Sample[]> {
  const { data, error } = await client.client
    .from("sample_decisions")
    .select("*, sample_data:masked_sample_data")
    .eq("version_id", versionId)
    .order("sample_key");
  expect(error).toBeNull();
  return data as Sample[];
}

async function counters(versionId: string) {
  const { data, error } = await tester.client
    .from("artifact_versions")
    .select("version_status, item_count, approved_count, rejected_count, pending_count")
    .eq("id", versionId)
    .single();
  expect(error).toBeNull();
  return data;
}

async function decide(client: SignedIn, versionId: string, ids: string[], side: string, decision: string) {
  const { data, error } = await client.client.rpc("decide_items", {
    p_version_id: versionId,
    p_item_table: "public.sample_decisions",
    p_item_ids: ids,
    p_side: side,
    p_decision: decision,
  });
  expect(error).toBeNull();
  expect(data).toBe(ids.length);
}

beforeAll(async () => {
  f = await createSamplingFixture(sql, { rows: 2000 });
  [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
}, 120_000);

afterAll(async () => {
  await sql.end();
});

describe("the seed's sample-selection example (100 / 80 / 20 / 10)", () => {
  it("version 1: the tester draws 100 samples", async () => {
    const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
    expect(created.error).toBeNull();
    v1 = created.data.id;
    const run = await tester.client.rpc("run_sample_selection", {
      p_version_id: v1,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "tester_set", size: 100, reason: "the seed's example" },
      p_amount_column: "amount",
      p_seed: "seed-example",
    });
    expect(run.error).toBeNull();
    expect(run.data).toMatchObject({ sample_size: 100, population_row_count: 2000, seed: "seed-example" });
    const drawn = await samples(tester, v1);
    expect(drawn).toHaveLength(100);
    expect(new Set(drawn.map((s) => s.recommendation_source))).toEqual(new Set(["tester"]));
    expect(new Set(drawn.map((s) => s.recommended_by))).toEqual(new Set([tester.userId]));
    expect(Object.keys(drawn[0]!.sample_data).sort()).toEqual(["amount", "loan_id", "region", "tax_id"]);
    expect(drawn[0]!.sample_data.tax_id).toBe("***");
    expect(await counters(v1)).toMatchObject({ item_count: 100, pending_count: 100 });
  });

  it("the owner approves 80, rejects 20 and asks for more", async () => {
    const drawn = await samples(tester, v1);
    await decide(
      tester,
      v1,
      drawn.map((s) => s.id),
      "tester",
      "approved",
    );
    expect((await tester.client.rpc("submit_version", { p_version_id: v1 })).error).toBeNull();
    const byOrder = [...drawn].sort((a, b) => a.selection_order! - b.selection_order!);
    await decide(
      owner,
      v1,
      byOrder.slice(0, 80).map((s) => s.id),
      "report_owner",
      "approved",
    );
    await decide(
      owner,
      v1,
      byOrder.slice(80).map((s) => s.id),
      "report_owner",
      "rejected",
    );
    expect(await counters(v1)).toMatchObject({ approved_count: 80, rejected_count: 20, pending_count: 0 });
    const rejected = await owner.client.rpc("reject_version", {
      p_version_id: v1,
      p_reason: "replace the 20, ten more",
    });
    expect(rejected.error).toBeNull();
  });

  it("version 2 carries the 80 forward with their lineage; the tester adds 10", async () => {
    const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId, p_parent_version_id: v1 });
    expect(created.error).toBeNull();
    v2 = created.data.id;
    const carried = await samples(tester, v2);
    const approvedInV1 = (await samples(tester, v1)).filter((s) => s.item_status === "approved");
    expect(carried).toHaveLength(80);
    for (const s of carried) {
      const from = approvedInV1.find((a) => a.id === s.carried_from_decision_id);
      expect(from, s.sample_key).toBeDefined();
      expect(s).toMatchObject({
        recommendation_source: "carried_forward",
        carried_from_version_id: v1,
        parent_item_id: from!.id,
        sample_key: from!.sample_key,
        recommended_by: tester.userId,
        item_status: "approved",
        report_owner_decided_by: owner.userId,
      });
    }
    expect(await counters(v2)).toMatchObject({ item_count: 80, approved_count: 80, pending_count: 0 });

    const run = await tester.client.rpc("run_sample_selection", {
      p_version_id: v2,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "tester_set", size: 10, reason: "ten more, as the owner asked" },
      p_seed: "seed-example-2",
    });
    expect(run.error).toBeNull();
    expect(run.data.excluded_keys).toHaveLength(80);
    const all = await samples(tester, v2);
    expect(all).toHaveLength(90);
    const added = all.filter((s) => s.recommendation_source === "tester");
    expect(added).toHaveLength(10);
    expect(added.some((s) => carried.some((c) => c.sample_key === s.sample_key))).toBe(false);
    expect(await counters(v2)).toMatchObject({ item_count: 90, approved_count: 80, pending_count: 10 });
  });

  it("a carried sample cannot change in the new draft", async () => {
    const [first] = (await samples(tester, v2)).filter((s) => s.recommendation_source === "carried_forward");
    const edit = await tester.client
      .from("sample_decisions")
      .update({ selection_reason: "edited" })
      .eq("id", first!.id)
      .select();
    expect(edit.error).toMatchObject({ code: "PT409", details: "carried_sample_immutable" });
    const removal = await tester.client.from("sample_decisions").delete().eq("id", first!.id).select();
    expect(removal.error).toMatchObject({ code: "PT409", details: "carried_sample_immutable" });
  });

  it("the owner approves version 2: 90 approved samples, which cannot change", async () => {
    const added = (await samples(tester, v2)).filter((s) => s.recommendation_source === "tester");
    await decide(
      tester,
      v2,
      added.map((s) => s.id),
      "tester",
      "approved",
    );
    expect((await tester.client.rpc("submit_version", { p_version_id: v2 })).error).toBeNull();
    await decide(
      owner,
      v2,
      added.map((s) => s.id),
      "report_owner",
      "approved",
    );
    const approved = await owner.client.rpc("approve_version", { p_version_id: v2 });
    expect(approved.error).toBeNull();
    expect(await counters(v2)).toMatchObject({
      version_status: "approved",
      item_count: 90,
      approved_count: 90,
      rejected_count: 0,
    });
    const change = await owner.client
      .from("sample_decisions")
      .update({ report_owner_decision: "rejected" })
      .eq("id", added[0]!.id)
      .select();
    expect(change.error).toMatchObject({ code: "PT409", details: "owner_decision_not_pending" });
    const lineage = (await samples(owner, v2)).filter((s) => s.recommendation_source === "carried_forward");
    expect(lineage).toHaveLength(80);
  });

  it("both versions re-perform identically", async () => {
    for (const versionId of [v1, v2]) {
      const { data, error } = await owner.client.rpc("reperform_sample_selection", { p_version_id: versionId });
      expect(error).toBeNull();
      expect(data.verdict).toBe("identical");
    }
  });

  it("a changed population row is reported", async () => {
    const [{ sample_key }] = await sql<[{ sample_key: string }]>`
      select sample_key from public.sample_decisions where version_id = ${v1} order by selection_order limit 1`;
    await sql.unsafe(`update source_data.${f.table} set amount = amount + 1 where loan_id = $1`, [sample_key]);
    try {
      const { data, error } = await owner.client.rpc("reperform_sample_selection", { p_version_id: v1 });
      expect(error).toBeNull();
      expect(data.verdict).toBe("different");
      expect(data.population.changed).toEqual(["amount_sum"]);
    } finally {
      await sql.unsafe(`update source_data.${f.table} set amount = amount - 1 where loan_id = $1`, [sample_key]);
    }
  });
});
