// A PDF evidence file previewed in the test case's side panel (decision 031): the app serves its bytes inline at
// /cycle-reports/:id/testing/evidence/:evidenceId/pdf after the download's own checks, to those who can read the
// cycle report only (404 to anyone else, the data provider who sent the file included); only a file recorded as
// application/pdf whose bytes are a PDF's is served inline, any other is downloaded; the response may be framed by the
// app itself and by nothing else.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, createTestUser, signInOverHttp } from "../support/app-http.ts";
import { demoPassword, signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createTestExecutionFixture, type TestExecutionFixture } from "../support/test-execution-fixture.ts";

const { appUrl } = appEnv();
const sql = connect();
let f: TestExecutionFixture;
let tester: SignedIn;
let stranger: Awaited<ReturnType<typeof createTestUser>>;
let cases: { id: string; sample_key: string }[] = [];
/** Evidence link ids: the RFI's PDF, a text note, and a file labelled a PDF whose bytes are not one. */
const ids: Record<"pdf" | "note" | "fake", string> = { pdf: "", note: "", fake: "" };

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function upload(caseId: string, name: string, contentType: string, bytes: Buffer): Promise<string> {
  const path = `${f.cycleReportId}/cases/${caseId}/${name}`;
  const stored = await tester.client.storage
    .from("evidence")
    .upload(path, new Blob([new Uint8Array(bytes)], { type: contentType }), { contentType });
  expect(stored.error).toBeNull();
  const linked = await tester.client
    .from("test_case_evidence")
    .insert({
      test_case_id: caseId,
      kind: "upload",
      object_path: path,
      file_name: name,
      content_type: contentType,
      size_bytes: bytes.length,
      sha256: sha256(bytes),
    })
    .select("id")
    .single();
  expect(linked.error).toBeNull();
  return (linked.data as { id: string }).id;
}

beforeAll(async () => {
  f = await createTestExecutionFixture(sql, {
    rows: 20,
    samples: 2,
    attributes: [["Amount", "amount", "internal"]],
    rfi: { providerEmail: "provider2@example.com", attribute: "Amount" },
  });
  tester = await signIn(f.testerEmail);
  stranger = await createTestUser("evidence-preview");
  const created = await tester.client.rpc("create_version", { p_phase_id: f.testPhaseId });
  expect(created.error).toBeNull();
  const { data } = await tester.client
    .from("test_cases")
    .select("id, sample_key")
    .eq("version_id", (created.data as { id: string }).id)
    .order("sample_key");
  cases = data as typeof cases;
  const [a, b] = cases;
  const rfi = await tester.client
    .from("test_case_evidence")
    .insert({ test_case_id: a!.id, kind: "rfi_file", request_file_id: f.rfiFiles[a!.sample_key]!.id, file_name: "-" })
    .select("id")
    .single();
  expect(rfi.error).toBeNull();
  ids.pdf = (rfi.data as { id: string }).id;
  ids.note = await upload(b!.id, "note.txt", "text/plain", Buffer.from("checked against the ledger"));
  ids.fake = await upload(b!.id, "fake.pdf", "application/pdf", Buffer.from("<html>not a pdf</html>"));
}, 120_000);

afterAll(async () => {
  await stranger?.remove();
  await sql.end();
});

const inlineUrl = (evidenceId: string) =>
  `${appUrl}/cycle-reports/${f.cycleReportId}/testing/evidence/${evidenceId}/pdf`;
const get = (url: string, cookie: string) => fetch(url, { headers: { cookie }, redirect: "manual" });

describe("a PDF evidence file served inline for the side panel's preview", () => {
  it("serves the PDF's own bytes inline to the cycle report's tester, framable by the app only", async () => {
    const { cookie } = await signInOverHttp(f.testerEmail, demoPassword);
    const response = await get(inlineUrl(ids.pdf), cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const key = cases[0]!.sample_key;
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="statement-${key}.pdf"`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp.match(/frame-ancestors/g)).toHaveLength(1);
    expect(Buffer.from(await response.arrayBuffer()).equals(f.rfiFiles[key]!.bytes)).toBe(true);
  });

  it("refuses anyone who cannot read the cycle report with 404, the provider who sent the file included", async () => {
    // The same address answers the report's tester: the 404 is the reader's, not the file's.
    const own = await get(inlineUrl(ids.pdf), (await signInOverHttp(f.testerEmail, demoPassword)).cookie);
    expect(own.status).toBe(200);
    for (const [who, email, password] of [
      ["provider", "provider2@example.com", demoPassword],
      ["stranger", stranger.email, stranger.password],
    ] as const) {
      const { cookie } = await signInOverHttp(email, password);
      const response = await get(inlineUrl(ids.pdf), cookie);
      expect(response.status, who).toBe(404);
      expect(response.headers.get("content-type"), who).not.toBe("application/pdf");
      expect(await response.text(), who).not.toContain("%PDF");
    }
    // Signed out: to the sign-in page, no bytes.
    const signedOut = await fetch(inlineUrl(ids.pdf), { redirect: "manual" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toMatch(/^\/login/);
  });

  it("serves only PDFs inline: any other file, or one labelled a PDF that is not, is downloaded instead", async () => {
    const { cookie } = await signInOverHttp(f.testerEmail, demoPassword);
    for (const [what, id, name] of [
      ["text note", ids.note, "note.txt"],
      ["labelled a PDF, bytes of a page", ids.fake, "fake.pdf"],
    ] as const) {
      const response = await get(inlineUrl(id), cookie);
      expect(response.status, what).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.pathname, what).toMatch(/\/storage\/v1\/object\/sign\/evidence\//);
      expect(location.searchParams.get("download"), what).toBe(name);
    }
  });

  it("refuses an unknown or malformed evidence id with 404", async () => {
    const { cookie } = await signInOverHttp(f.testerEmail, demoPassword);
    expect((await get(inlineUrl("00000000-0000-4000-8000-000000000000"), cookie)).status).toBe(404);
    expect((await get(inlineUrl("not-a-uuid"), cookie)).status).toBe(404);
  });
});
