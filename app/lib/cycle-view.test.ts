import { describe, expect, it } from "vitest";
import { buildCycleView, type OverviewRow } from "./cycle-view";

const row = (over: Partial<OverviewRow>): OverviewRow => ({
  cycle_report_id: 1,
  cycle_id: 10,
  cycle_name: "2026 Q4",
  period_start: "2026-10-01",
  report_id: 100,
  report_name: "FR Y-9C",
  regulation: "Fed",
  status: "in_progress",
  testers: [{ id: "t1", name: "Theo" }],
  phases_total: 9,
  phases_done: 4,
  current_phase: "Sample selection",
  requests_open: 2,
  requests_overdue: 1,
  tests_total: 8,
  tests_passed: 6,
  tests_failed: 2,
  dq_rules: 3,
  dq_rows: 300,
  dq_rows_passed: 297,
  observations: { high: { open: 1, closed: 2 }, low: { draft: 1 } },
  ...over,
});

const rows = [
  row({}),
  row({ cycle_report_id: 2, report_id: 101, report_name: "FFIEC 031", testers: [{ id: "t2", name: "Tess" }] }),
  row({ cycle_report_id: 3, cycle_id: 9, cycle_name: "2026 Q3", period_start: "2026-07-01" }),
];

describe("the cycle view", () => {
  it("shows the latest cycle unless one is asked for, its reports by name", () => {
    const view = buildCycleView(rows, new URLSearchParams());
    expect(view.cycle).toEqual({ id: 10, name: "2026 Q4" });
    expect(view.cycles.map((c) => c.name)).toEqual(["2026 Q4", "2026 Q3"]);
    expect(view.rows.map((r) => r.reportName)).toEqual(["FFIEC 031", "FR Y-9C"]);
    expect(buildCycleView(rows, new URLSearchParams("cycle=9")).rows.map((r) => r.id)).toEqual([3]);
  });

  it("computes pass rates and groups observations by severity and stage", () => {
    const [report] = buildCycleView(rows, new URLSearchParams("report=100")).rows;
    expect(report).toMatchObject({ testPassRate: 75, dqPassRate: 99, observationCount: 4, requestsOverdue: 1 });
    expect(report!.observations.high).toEqual({ draft: 0, open: 1, "in remediation": 0, "validated or closed": 2 });
    expect(report!.observations.low.draft).toBe(1);
    expect(buildCycleView([row({ tests_total: 0, dq_rows: 0 })], new URLSearchParams()).rows[0]).toMatchObject({
      testPassRate: null,
      dqPassRate: null,
    });
  });

  it("filters by report and by tester, and totals what it shows", () => {
    const byTester = buildCycleView(rows, new URLSearchParams("tester=t2"));
    expect(byTester.rows.map((r) => r.id)).toEqual([2]);
    expect(byTester.totals).toMatchObject({ requestsOpen: 2, requestsOverdue: 1, testsFailed: 2 });
    expect(byTester.totals.observations).toEqual({ critical: 0, high: 3, medium: 0, low: 1 });
    expect(byTester.testers.map((t) => t.name)).toEqual(["Tess", "Theo"]);
    const byReport = buildCycleView(rows, new URLSearchParams("report=101&tester=t1"));
    expect(byReport.rows).toEqual([]);
  });

  it("drops a filter that names nothing in the cycle", () => {
    const view = buildCycleView(rows, new URLSearchParams("report=999&tester=nobody"));
    expect(view.filter).toEqual({ report: null, tester: null });
    expect(view.rows).toHaveLength(2);
  });
});
