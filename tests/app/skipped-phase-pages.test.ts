// A workspace of a phase an admin skipped says so, instead of telling the tester to start the phase or offering
// a form the database would refuse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../support/db";
import { demoPassword } from "../support/auth";
import { appEnv, signInOverHttp } from "../support/app-http";
import { createSamplingFixture } from "../support/sampling-fixture";

const sql = connect(2);
let cycleReportId: number;
let cookie: string;

beforeAll(async () => {
  // Planning approved and completed; scoping, data request and data profiling skipped with a reason.
  ({ cycleReportId } = await createSamplingFixture(sql, { rows: 5 }));
  ({ cookie } = await signInOverHttp("tester@example.com", demoPassword));
});

afterAll(async () => {
  await sql.end();
});

async function page(path: string): Promise<string> {
  const response = await fetch(`${appEnv().appUrl}${path}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return await response.text();
}

describe("workspaces of a skipped phase", () => {
  it("scoping says it was skipped and what is in scope", async () => {
    const html = await page(`/cycle-reports/${cycleReportId}/scoping`);
    expect(html).toContain("Scoping was skipped: every approved planning attribute is in scope.");
    expect(html).not.toContain("the phase is started");
  });

  it("the data request says no requests are sent, with no form to send them", async () => {
    const html = await page(`/cycle-reports/${cycleReportId}/requests/data_request`);
    expect(html).toContain("This phase was skipped: no requests are sent in it.");
    expect(html).not.toContain("Create and send");
  });
});
