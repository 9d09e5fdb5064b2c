// Test execution's evidence and reviewer through supabase-js (decision 031): a request-for-information file is
// linked to the case of its own sample and attribute only; a file is uploaded into the case's folder of the
// evidence bucket by its testers only; test_cases.evidence is not written directly; where the cycle report names
// the report owner as reviewer, the owner signs off over the REST API and the second tester is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createTestExecutionFixture, type TestExecutionFixture } from "../support/test-execution-fixture.ts";

const sql = connect();
let f: TestExecutionFixture;
let tester: SignedIn;
let second: SignedIn;
let owner: SignedIn;
let provider: SignedIn;
let cases: { id: string; sample_key: string }[] = [];

beforeAll(async () => {
  f = await createTestExecutionFixture(sql, {
    rows: 20,
    samples: 2,
    attributes: [["Amount", "amount", "internal"]],
    rfi: { providerEmail: "provider2@example.com", attribute: "Amount" },
  });
  [tester, second, owner, provider] = await Promise.all([
    signIn(f.testerEmail),
    signIn(f.reviewerEmail),
    signIn(f.ownerEmail),
    signIn("provider2@example.com"),
  ]);
  const created = await tester.client.rpc("create_version", { p_phase_id: f.testPhaseId });
  expect(created.error).toBeNull();
  const { data } = await tester.client
    .from("test_cases")
    .select("id, sample_key")
    .eq("version_id", (created.data as { id: string }).id)
    .order("sample_key");
  cases = data as typeof cases;
}, 120_000);

afterAll(async () => {
  await sql.end();
});

const link = (who: SignedIn, caseId: string, fileId: string) =>
  who.client
    .from("test_case_evidence")
    .insert({ test_case_id: caseId, kind: "rfi_file", request_file_id: fileId, file_name: "-" })
    .select("file_name, sha256")
    .single();

describe("test-case evidence and the reviewer over the REST API", () => {
  it("links a request-for-information file to its own sample's case only", async () => {
    const [a, b] = cases;
    const other = await link(tester, a!.id, f.rfiFiles[b!.sample_key]!.id);
    expect(other.status).toBe(400);
    expect(other.error).toMatchObject({ code: "PT400", details: "evidence_not_for_this_test" });
    const byOwner = await link(owner, a!.id, f.rfiFiles[a!.sample_key]!.id);
    expect(byOwner.error).toMatchObject({ code: "PT403", details: "item_edit_requires_tester" });
    const own = await link(tester, a!.id, f.rfiFiles[a!.sample_key]!.id);
    expect(own.error).toBeNull();
    expect(own.data).toMatchObject({ file_name: `statement-${a!.sample_key}.pdf` });
    const seen = await provider.client.from("test_case_evidence").select("id");
    expect(seen.data).toEqual([]);
  });

  it("keeps test_cases.evidence the database's", async () => {
    const { error, status } = await tester.client.from("test_cases").update({ evidence: [] }).eq("id", cases[0]!.id);
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: "42501" });
    const { data } = await owner.client.from("test_cases").select("evidence").eq("id", cases[0]!.id).single();
    expect((data as { evidence: { source: string }[] }).evidence).toMatchObject([{ source: "rfi" }]);
  });

  it("takes uploads into the case's folder from its testers only", async () => {
    const path = `${f.cycleReportId}/cases/${cases[1]!.id}/note.txt`;
    const body = new Blob(["checked against the ledger"], { type: "text/plain" });
    for (const who of [owner, provider]) {
      const refused = await who.client.storage.from("evidence").upload(path, body, { contentType: "text/plain" });
      expect(refused.error).not.toBeNull();
    }
    const stored = await tester.client.storage.from("evidence").upload(path, body, { contentType: "text/plain" });
    expect(stored.error).toBeNull();
    const wrongCase = await tester.client.from("test_case_evidence").insert({
      test_case_id: cases[0]!.id,
      kind: "upload",
      object_path: path,
      file_name: "note.txt",
      content_type: "text/plain",
      size_bytes: body.size,
      sha256: "0".repeat(64),
    });
    expect(wrongCase.error).toMatchObject({ code: "PT400", details: "evidence_path_invalid" });
    const linked = await tester.client.from("test_case_evidence").insert({
      test_case_id: cases[1]!.id,
      kind: "upload",
      object_path: path,
      file_name: "note.txt",
      content_type: "text/plain",
      size_bytes: body.size,
      sha256: "0".repeat(64),
    });
    expect(linked.error).toBeNull();
    const signed = await owner.client.storage.from("evidence").createSignedUrl(path, 60);
    expect(signed.error).toBeNull();
  });

  it("where the cycle report names the owner as reviewer, the owner signs off and the second tester cannot", async () => {
    await sql`update public.workflow_phases set item_reviewer = 'report_owner' where id = ${f.testPhaseId}`;
    const prepared = await tester.client
      .from("test_cases")
      .update({ result: "pass", source_value: "as reported" })
      .in(
        "id",
        cases.map((c) => c.id),
      )
      .select("id");
    expect(prepared.data).toHaveLength(2);
    const bySecond = await second.client
      .from("test_cases")
      .update({ tester_decision: "approved" })
      .eq("id", cases[0]!.id);
    expect(bySecond.error).toMatchObject({ code: "PT403", details: "review_requires_report_owner" });
    const byOwner = await owner.client
      .from("test_cases")
      .update({ tester_decision: "approved" })
      .eq("id", cases[0]!.id)
      .select("tester_decided_by")
      .single();
    expect(byOwner.error).toBeNull();
    expect(byOwner.data).toEqual({ tester_decided_by: owner.userId });
  });
});
