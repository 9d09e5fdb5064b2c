// The test report's exports (decision 032), downloaded from the app as the report owner and the tester would:
// the PDF for signature and the Excel workbook, both made from the version's frozen content, with the version,
// the approver and the content checksum on every page and every sheet. Read through the user's own client, so
// the report's access rules apply: others get 404, a draft is not exported.
import readXlsxFile from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, signInOverHttp } from "../support/app-http.ts";
import { demoPassword, signIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createTestReportFixture, type TestReportFixture } from "../support/observation-fixture.ts";
import { pdfPages } from "../support/pdf-text.ts";

const sql = connect(2);
let f: TestReportFixture;
let ownerCookie = "";
let checksum = "";
let approver = "";

async function download(path: string, cookie: string) {
  return await fetch(`${appEnv().appUrl}/cycle-reports/${f.cycleReportId}/${path}`, {
    headers: { cookie },
    redirect: "manual",
  });
}

beforeAll(async () => {
  f = await createTestReportFixture(sql, {
    rows: 20,
    samples: 4,
    attributes: [
      ["Loan id", "loan_id", "internal"],
      ["Amount", "amount", "internal"],
    ],
  });
  ({ cookie: ownerCookie } = await signInOverHttp(f.ownerEmail, demoPassword));
}, 180_000);

afterAll(async () => {
  await sql.end();
});

describe("the test report's exports", () => {
  it("are refused for a draft, whose content still follows the records", async () => {
    const response = await download("report.pdf", ownerCookie);
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("not frozen yet");
    expect((await download(`report.xlsx?version=${f.reportVersionId}`, ownerCookie)).status).toBe(409);
  });

  it("are served once the report is submitted and approved", async () => {
    const tester = await signIn(f.testerEmail);
    expect((await tester.client.rpc("submit_version", { p_version_id: f.reportVersionId })).error).toBeNull();
    const owner = await signIn(f.ownerEmail);
    expect((await owner.client.rpc("approve_version", { p_version_id: f.reportVersionId })).error).toBeNull();
    const [row] = await sql<[{ checksum: string; approver: string }]>`
      select r.content_checksum as checksum, coalesce(nullif(p.full_name, ''), p.email) as approver
        from public.test_reports r join public.artifact_versions v on v.id = r.version_id
        join public.profiles p on p.id = v.approved_by
       where r.version_id = ${f.reportVersionId}`;
    ({ checksum, approver } = row);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the PDF carries the version, the approver and the checksum on every page, and the frozen sections", async () => {
    const response = await download("report.pdf", ownerCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="test-report-.*-version-1\.pdf"$/,
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(6);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`Version 1 · approved by ${approver}`);
      expect(page).toContain(`content SHA-256 ${checksum}`);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    }
    const all = pages.join("\n");
    expect(pages[0]).toContain("Fairly stated but for Amount.");
    expect(pages[0]).toContain("Approved by (report owner)");
    for (const heading of ["Scope", "Rules and results", "Samples", "Test cases", "Observations"])
      expect(all).toContain(heading);
    expect(all).toContain("Amount differs from the statement");
    expect(all).toContain("Amount: 2 failed tests");
  });

  it("the workbook has a sheet per section, each stamped, with the frozen rows", async () => {
    const response = await download(`report.xlsx?version=${f.reportVersionId}`, ownerCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const sheets = await readXlsxFile(Buffer.from(await response.arrayBuffer()));
    expect(sheets.map((s) => s.sheet)).toEqual([
      "Summary",
      "Scope",
      "Rules and results",
      "Samples",
      "Test cases",
      "Observations",
    ]);
    for (const { data } of sheets) {
      expect(String(data[1]![0])).toMatch(
        new RegExp(
          `^Version 1 · approved by ${approver} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · content SHA-256 ${checksum}$`,
        ),
      );
    }
    const sheet = (name: string) => sheets.find((s) => s.sheet === name)!.data;
    const [cases] = await sql<[{ n: number; failed: number }]>`
      select count(*)::int as n, count(*) filter (where result = 'fail')::int as failed from public.test_cases t
        join public.artifact_versions v on v.id = t.version_id
       where v.cycle_report_id = ${f.cycleReportId} and v.version_status = 'approved'`;
    const testCases = sheet("Test cases");
    expect(testCases[3]).toEqual([
      "Sample",
      "Attribute",
      "Reported",
      "Source",
      "Expected",
      "Result",
      "Exception",
      "Prepared by",
      "Reviewed by",
    ]);
    expect(testCases.slice(4)).toHaveLength(cases.n);
    expect(testCases.slice(4).filter((r) => r[5] === "fail")).toHaveLength(cases.failed);
    const samples = sheet("Samples").slice(4);
    expect(samples).toHaveLength(4);
    expect(samples.every((r) => String(r[3]).startsWith("drawn"))).toBe(true);
    expect(sheet("Observations")[4]).toEqual(
      expect.arrayContaining(["Amount: 2 failed tests", "medium", "responded", "Agreed"]),
    );
    expect(sheet("Summary")).toContainEqual(["Conclusion", "Fairly stated but for Amount."]);
    expect(sheet("Summary")).toContainEqual(["Content SHA-256", checksum]);
  });

  it("keep the report's access rules: nobody else gets them, a bad version id is a 400", async () => {
    const { cookie: provider } = await signInOverHttp("provider@example.com", demoPassword);
    expect((await download("report.pdf", provider)).status).toBe(404);
    expect((await download("report.xlsx", provider)).status).toBe(404);
    const anonymous = await download("report.pdf", "");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");
    expect((await download("report.pdf?version=nope", ownerCookie)).status).toBe(400);
  });
});
