// Which cycle reports each role sees through the REST API (row-level security), for the demo accounts and
// for users and cycle reports of this file's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anonClient,
  createCycleReport,
  createUser,
  db,
  signIn,
  type Client,
  type CycleReportFixture,
} from "./support/fixtures";

const seedCycle = "2026 Q4";

/** The report names of the cycle reports a client sees in one cycle. */
async function reportsSeen(client: Client, cycleName: string): Promise<string[]> {
  const { data, error } = await client
    .from("cycle_reports")
    .select("id, reports(name), test_cycles!inner(name)")
    .eq("test_cycles.name", cycleName);
  if (error) throw error;
  return data.map((row) => row.reports?.name ?? "?").sort();
}

afterAll(async () => {
  await db.end();
});

describe("demo accounts", () => {
  // Only the seed cycle: other test files may assign the demo users to cycle reports of their own.
  it.each([
    ["tester@example.com", ["FR Y-9C"]],
    ["tester2@example.com", ["FFIEC 031"]],
    ["owner@example.com", ["FR Y-9C"]],
    ["owner2@example.com", ["FFIEC 031"]],
    ["admin@example.com", ["FFIEC 031", "FR Y-9C"]],
  ])("%s sees %j in 2026 Q4", async (email, expected) => {
    await expect(reportsSeen(await signIn(email), seedCycle)).resolves.toEqual(expected);
  });

  it("a tester sees the phases and activities of their cycle report only", async () => {
    const tester = await signIn("tester@example.com");
    const { data, error } = await tester
      .from("workflow_phases")
      .select("phase_name, cycle_reports!inner(reports!inner(name), test_cycles!inner(name))")
      .eq("cycle_reports.test_cycles.name", seedCycle);
    if (error) throw error;
    expect(data).toHaveLength(9);
    expect(new Set(data.map((p) => p.cycle_reports?.reports?.name))).toEqual(new Set(["FR Y-9C"]));
  });

  it("anon sees nothing", async () => {
    const anon = anonClient();
    for (const table of [
      "cycle_reports",
      "workflow_phases",
      "workflow_activities",
      "reports",
      "test_cycles",
    ] as const) {
      const { data, error } = await anon.from(table).select("id");
      // Either refused outright or an empty list: never a row.
      expect(error ? [] : data, table).toEqual([]);
    }
  });
});

describe("users and cycle reports of this file", () => {
  let mine: CycleReportFixture;
  let theirs: CycleReportFixture;
  let tester: Client;
  let owner: Client;
  let otherOwner: Client;
  let unassigned: Client;
  let admin: Client;

  beforeAll(async () => {
    const [testerUser, otherTester, ownerUser, otherOwnerUser, unassignedUser] = await Promise.all([
      createUser("tester", "tester"),
      createUser("tester", "other-tester"),
      createUser("report_owner", "owner"),
      createUser("report_owner", "other-owner"),
      createUser("tester", "unassigned"),
    ]);
    mine = await createCycleReport(ownerUser.id, [testerUser.id]);
    theirs = await createCycleReport(otherOwnerUser.id, [otherTester.id]);
    [tester, owner, otherOwner, unassigned, admin] = await Promise.all([
      signIn(testerUser.email, testerUser.password),
      signIn(ownerUser.email, ownerUser.password),
      signIn(otherOwnerUser.email, otherOwnerUser.password),
      signIn(unassignedUser.email, unassignedUser.password),
      signIn("admin@example.com"),
    ]);
  });

  const ids = async (client: Client) => {
    const { data, error } = await client.from("cycle_reports").select("id").order("id");
    if (error) throw error;
    return data.map((row) => row.id);
  };

  it("an assigned tester sees exactly their cycle report", async () => {
    await expect(ids(tester)).resolves.toEqual([mine.id]);
  });

  it("a report owner sees exactly the cycle reports of their report", async () => {
    await expect(ids(owner)).resolves.toEqual([mine.id]);
    await expect(ids(otherOwner)).resolves.toEqual([theirs.id]);
  });

  it("an unassigned tester sees none", async () => {
    await expect(ids(unassigned)).resolves.toEqual([]);
  });

  it("an admin sees every cycle report", async () => {
    // Rows that existed before the admin's read; tests running in parallel may add more meanwhile.
    const before = await db<{ id: string }[]>`select id from public.cycle_reports`;
    const seen = await ids(admin);
    expect(seen).toEqual(expect.arrayContaining([mine.id, theirs.id, ...before.map((row) => Number(row.id))]));
  });

  it("embedding follows the same rules: a tester reads their phases, never another cycle report's", async () => {
    const { data, error } = await tester
      .from("workflow_phases")
      .select("id, cycle_report_id")
      .in("cycle_report_id", [mine.id, theirs.id]);
    if (error) throw error;
    expect(new Set(data.map((p) => p.cycle_report_id))).toEqual(new Set([mine.id]));
    expect(data).toHaveLength(9);
  });
});
