// Test execution through supabase-js, as two testers and the report owner would do it over the REST API: the
// version's 5 × 3 test cases are made by the database from the approved samples and attributes; tester 1
// prepares every case (one failure, evidence references), tester 2 signs them off in bulk and is refused on
// their own work; a change voids a review with its reason; the version is submitted and the owner approves it;
// the failure is an exception and each case traces back to the approved versions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createTestExecutionFixture, type TestExecutionFixture } from "../support/test-execution-fixture.ts";

const sql = connect();
let f: TestExecutionFixture;
let tester: SignedIn;
let reviewer: SignedIn;
let owner: SignedIn;
let versionId = "";

interface TestCase {
  id: string;
  sample_key: string;
  attribute_name: string;
  reported_value: string | null;
  result: string | null;
  prepared_by: string | null;
  tester_decision: string | null;
  tester_decided_by: string | null;
  review_void_reason: string | null;
}

async function cases(client: SignedIn): Promise<TestCase[]> {
  const { data, error } = await client.client
    .from("test_cases")
    .select("*, reported_value:masked_reported_value")
    .eq("version_id", versionId)
    .order("sample_key")
    .order("attribute_name");
  expect(error).toBeNull();
  return data as TestCase[];
}

beforeAll(async () => {
  f = await createTestExecutionFixture(sql, {
    rows: 40,
    samples: 5,
    attributes: [
      ["Loan id", "loan_id", "internal"],
      ["Amount", "amount", "internal"],
      ["Region", "region", "internal"],
    ],
  });
  [tester, reviewer, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.reviewerEmail), signIn(f.ownerEmail)]);
}, 120_000);

afterAll(async () => {
  await sql.end();
});

describe("two testers prepare and review a 5 × 3 test execution; the owner approves", () => {
  it("the database makes one case per approved sample and in-scope attribute", async () => {
    const created = await tester.client.rpc("create_version", { p_phase_id: f.testPhaseId });
    expect(created.error).toBeNull();
    versionId = created.data.id;
    expect(created.data.based_on_version_id).toBe(f.sampleSelectionVersionId);
    const all = await cases(tester);
    expect(all).toHaveLength(15);
    expect(new Set(all.map((c) => c.attribute_name))).toEqual(new Set(["Loan id", "Amount", "Region"]));
    const amount = all.find((c) => c.attribute_name === "Amount")!;
    expect(Number(amount.reported_value)).toBeGreaterThan(0);
  });

  it("a tester cannot add a case or forge the reported value", async () => {
    const [one] = await cases(tester);
    const forged = await tester.client.from("test_cases").update({ reported_value: "x" }).eq("id", one!.id);
    expect(forged.error).toMatchObject({ code: "42501" });
  });

  it("tester 1 prepares every case; a failure needs its description", async () => {
    const all = await cases(tester);
    const failing = all.find((c) => c.attribute_name === "Amount")!;
    const bare = await tester.client.from("test_cases").update({ result: "fail" }).eq("id", failing.id);
    expect(bare.error).toMatchObject({ code: "PT400", details: "exception_description_required" });
    for (const c of all) {
      const failed = c.id === failing.id;
      const { error } = await tester.client
        .from("test_cases")
        .update({
          result: failed ? "fail" : "pass",
          source_value: failed ? "999" : c.reported_value,
          exception_description: failed ? "The statement shows 999" : null,
        })
        .eq("id", c.id);
      expect(error).toBeNull();
      const linked = await tester.client.from("test_case_evidence").insert({
        test_case_id: c.id,
        kind: "reference",
        file_name: `loan-${c.sample_key}.pdf`,
        location: `loan-system/${c.sample_key}.pdf`,
      });
      expect(linked.error).toBeNull();
    }
    const prepared = await cases(tester);
    expect(prepared.every((c) => c.prepared_by === tester.userId && c.result)).toBe(true);
  });

  it("the preparer cannot review their own test; tester 2 signs them off in bulk", async () => {
    const all = await cases(tester);
    const own = await tester.client.from("test_cases").update({ tester_decision: "approved" }).eq("id", all[0]!.id);
    expect(own.error).toMatchObject({ code: "PT403", details: "reviewer_is_preparer" });
    const early = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(early.error).toMatchObject({ code: "PT409", details: "tester_decisions_missing" });
    const bulk = await reviewer.client.rpc("decide_items", {
      p_version_id: versionId,
      p_item_table: "public.test_cases",
      p_item_ids: all.map((c) => c.id),
      p_side: "tester",
      p_decision: "approved",
    });
    expect(bulk.error).toBeNull();
    expect(bulk.data).toBe(15);
    expect((await cases(tester)).every((c) => c.tester_decided_by === reviewer.userId)).toBe(true);
  });

  it("a change to a reviewed test voids the review and says why", async () => {
    const [first] = await cases(tester);
    const change = await tester.client.from("test_cases").update({ test_notes: "rechecked" }).eq("id", first!.id);
    expect(change.error).toBeNull();
    const after = (await cases(tester)).find((c) => c.id === first!.id)!;
    expect(after.tester_decision).toBeNull();
    expect(after.review_void_reason).toBe("Changed after review: test_notes");
    const early = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(early.error).toMatchObject({ code: "PT409", details: "tester_decisions_missing" });
    const again = await reviewer.client.from("test_cases").update({ tester_decision: "approved" }).eq("id", first!.id);
    expect(again.error).toBeNull();
  });

  it("submitted, then approved by the report owner", async () => {
    const submitted = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(submitted.error).toBeNull();
    expect(submitted.data.version_status).toBe("pending_approval");
    const approved = await owner.client.rpc("approve_version", { p_version_id: versionId });
    expect(approved.error).toBeNull();
    expect(approved.data.version_status).toBe("approved");
  });

  it("the failure is an exception and each case traces to the approved versions", async () => {
    const exceptions = await owner.client.from("test_exceptions").select("*").eq("version_id", versionId);
    expect(exceptions.error).toBeNull();
    expect(exceptions.data).toHaveLength(1);
    expect(exceptions.data![0]).toMatchObject({
      attribute_name: "Amount",
      exception_description: "The statement shows 999",
    });
    const chain = await owner.client
      .from("test_case_traceability")
      .select("*")
      .eq("test_case_id", exceptions.data![0].test_case_id)
      .single();
    expect(chain.error).toBeNull();
    expect(chain.data).toMatchObject({
      sample_selection_version_id: f.sampleSelectionVersionId,
      planning_version_id: f.planningVersionId,
      scoping_version_id: null,
    });
  });
});
