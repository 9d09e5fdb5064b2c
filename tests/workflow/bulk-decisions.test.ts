// Bulk decisions through the public API (POST /rest/v1/rpc/decide_items), as the tester and the report owner:
// one call decides many planning attributes, each item stamped and the version's counters right, and the
// refusals of single decisions hold for many.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Client,
  createCycleReport,
  createUser,
  type CycleReportFixture,
  db,
  signIn,
  type TestUser,
} from "./support/fixtures";

let tester: TestUser;
let owner: TestUser;
let asTester: Client;
let asOwner: Client;
let cycleReport: CycleReportFixture;
let versionId: string;
let attributeIds: string[];

const decide = (client: Client, ids: string[], side: string, decision: "approved" | "rejected", notes?: string) =>
  client.rpc("decide_items", {
    p_version_id: versionId,
    p_item_table: "public.planning_attributes",
    p_item_ids: ids,
    p_side: side,
    p_decision: decision,
    p_notes: notes,
  });

const counters = async () => {
  const [v] = await db<{ item_count: number; tester_decided_count: number; approved_count: number }[]>`
    select item_count, tester_decided_count, approved_count from public.artifact_versions where id = ${versionId}`;
  return v;
};

beforeAll(async () => {
  [tester, owner] = await Promise.all([createUser("tester", "bulk-tester"), createUser("report_owner", "bulk-owner")]);
  cycleReport = await createCycleReport(owner.id, [tester.id]);
  [asTester, asOwner] = await Promise.all([signIn(tester.email, tester.password), signIn(owner.email, owner.password)]);
  const started = await asTester.rpc("start_phase", { p_phase_id: cycleReport.phases.planning! });
  if (started.error) throw started.error;
  const created = await asTester.rpc("create_version", { p_phase_id: cycleReport.phases.planning! });
  if (created.error) throw created.error;
  versionId = created.data.id;
  const inserted = await asTester
    .from("planning_attributes")
    .insert(
      Array.from({ length: 20 }, (_, i) => ({
        version_id: versionId,
        name: `attribute ${i + 1}`,
        data_type: "string",
      })),
    )
    .select("id");
  if (inserted.error) throw inserted.error;
  attributeIds = inserted.data.map((a) => a.id);
});

describe("decide_items through the API", () => {
  it("the tester approves 15 of 20 attributes in one call, each stamped, the counters right", async () => {
    const { data, error } = await decide(asTester, attributeIds.slice(0, 15), "tester", "approved", "Checked");
    expect(error).toBeNull();
    expect(data).toBe(15);
    const stamped = await db`
      select count(*)::int as n from public.planning_attributes
       where version_id = ${versionId} and tester_decision = 'approved' and tester_notes = 'Checked'
         and tester_decided_by = ${tester.id} and item_status = 'approved'`;
    expect(stamped[0]!.n).toBe(15);
    expect(await counters()).toEqual({ item_count: 20, tester_decided_count: 15, approved_count: 15 });
  });

  it("deciding again changes the decisions, not the counts of decided items", async () => {
    const { data } = await decide(asTester, attributeIds.slice(10), "tester", "rejected");
    expect(data).toBe(10);
    expect(await counters()).toEqual({ item_count: 20, tester_decided_count: 20, approved_count: 10 });
  });

  it("the report owner cannot record tester decisions, and nothing changes", async () => {
    const { error } = await decide(asOwner, attributeIds, "tester", "approved");
    expect(error).toMatchObject({ code: "PT403", details: "tester_decision_requires_tester" });
    expect(await counters()).toEqual({ item_count: 20, tester_decided_count: 20, approved_count: 10 });
  });

  it("planning has no owner item review: an owner decision in bulk is refused as one would be", async () => {
    const submitted = await asTester.rpc("submit_version", { p_version_id: versionId });
    expect(submitted.error).toBeNull();
    const { error } = await decide(asOwner, attributeIds, "report_owner", "approved");
    expect(error).toMatchObject({ code: "PT409", details: "phase_has_no_owner_item_review" });
  });

  it("anonymous callers are refused", async () => {
    const { createClient } = await import("@supabase/supabase-js");
    const anon = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!, {
      auth: { persistSession: false },
    });
    const { error } = await anon.rpc("decide_items", {
      p_version_id: versionId,
      p_item_table: "public.planning_attributes",
      p_item_ids: attributeIds,
      p_side: "tester",
      p_decision: "approved",
    });
    expect(error?.code).toBe("42501");
  });
});
