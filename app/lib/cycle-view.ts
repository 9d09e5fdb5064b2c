/** The cycle view's figures (decision 032), from public.cycle_report_overview rows; shared by the server and the page. */

export const severities = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof severities)[number];

/** Observation statuses grouped as the chart colours them: not yet raised, awaiting an answer or fix, done. */
export const observationStages = [
  ["draft", ["draft"]],
  ["open", ["open", "reopened"]],
  ["in remediation", ["responded", "remediating", "pending_validation"]],
  ["validated or closed", ["validated", "closed"]],
] as const;
export type ObservationStage = (typeof observationStages)[number][0];

export interface OverviewRow {
  cycle_report_id: number | null;
  cycle_id: number | null;
  cycle_name: string | null;
  period_start: string | null;
  report_id: number | null;
  report_name: string | null;
  regulation: string | null;
  status: string | null;
  testers: unknown;
  phases_total: number | null;
  phases_done: number | null;
  current_phase: string | null;
  requests_open: number | null;
  requests_overdue: number | null;
  tests_total: number | null;
  tests_passed: number | null;
  tests_failed: number | null;
  dq_rules: number | null;
  dq_rows: number | null;
  dq_rows_passed: number | null;
  observations: unknown;
}

export interface CycleViewReport {
  id: number;
  reportId: number;
  reportName: string;
  regulation: string;
  status: string;
  testers: { id: string; name: string }[];
  phasesDone: number;
  phasesTotal: number;
  currentPhase: string | null;
  requestsOpen: number;
  requestsOverdue: number;
  testsTotal: number;
  testsFailed: number;
  /** Passed of tested cases, in percent (one decimal), or null before any case has a result. */
  testPassRate: number | null;
  dqRules: number;
  /** Rows passing of rows checked by the latest result of each rule, in percent, or null before any run. */
  dqPassRate: number | null;
  /** Observations by severity, then by stage. */
  observations: Record<Severity, Record<ObservationStage, number>>;
  observationCount: number;
}

export interface CycleView {
  cycles: { id: number; name: string }[];
  cycle: { id: number; name: string } | null;
  /** The filters' choices within the cycle, and what is chosen. */
  reports: { id: number; name: string }[];
  testers: { id: string; name: string }[];
  filter: { report: number | null; tester: string | null };
  rows: CycleViewReport[];
  totals: {
    requestsOpen: number;
    requestsOverdue: number;
    testsFailed: number;
    observations: Record<Severity, number>;
  };
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

function testersOf(value: unknown): { id: string; name: string }[] {
  return Array.isArray(value)
    ? value.flatMap((t) =>
        t && typeof t === "object" && typeof (t as { id?: unknown }).id === "string"
          ? [{ id: (t as { id: string }).id, name: String((t as { name?: unknown }).name ?? "") }]
          : [],
      )
    : [];
}

function observationsOf(value: unknown): CycleViewReport["observations"] {
  const counts = Object.fromEntries(
    severities.map((s) => [s, Object.fromEntries(observationStages.map(([stage]) => [stage, 0]))]),
  ) as CycleViewReport["observations"];
  const bySeverity = value && typeof value === "object" ? (value as Record<string, Record<string, number>>) : {};
  for (const severity of severities)
    for (const [status, n] of Object.entries(bySeverity[severity] ?? {})) {
      const stage = observationStages.find(([, statuses]) => (statuses as readonly string[]).includes(status));
      if (stage) counts[severity][stage[0]] += Number(n) || 0;
    }
  return counts;
}

function toReport(row: OverviewRow): CycleViewReport {
  const observations = observationsOf(row.observations);
  return {
    id: row.cycle_report_id ?? 0,
    reportId: row.report_id ?? 0,
    reportName: row.report_name ?? "",
    regulation: row.regulation ?? "",
    status: row.status ?? "",
    testers: testersOf(row.testers),
    phasesDone: row.phases_done ?? 0,
    phasesTotal: row.phases_total ?? 0,
    currentPhase: row.current_phase,
    requestsOpen: row.requests_open ?? 0,
    requestsOverdue: row.requests_overdue ?? 0,
    testsTotal: row.tests_total ?? 0,
    testsFailed: row.tests_failed ?? 0,
    testPassRate: rate(row.tests_passed ?? 0, row.tests_total ?? 0),
    dqRules: row.dq_rules ?? 0,
    dqPassRate: rate(Number(row.dq_rows_passed ?? 0), Number(row.dq_rows ?? 0)),
    observations,
    observationCount: severities.reduce((sum, s) => sum + Object.values(observations[s]).reduce((a, b) => a + b, 0), 0),
  };
}

/**
 * The cycle asked for (else the latest by period), its reports narrowed by report and tester, and the totals of
 * what is shown. Filters naming nothing in the cycle are dropped rather than showing an empty view by surprise.
 */
export function buildCycleView(rows: OverviewRow[], search: URLSearchParams): CycleView {
  const cycles = new Map<number, { id: number; name: string; start: string }>();
  for (const r of rows)
    if (r.cycle_id !== null)
      cycles.set(r.cycle_id, { id: r.cycle_id, name: r.cycle_name ?? "", start: r.period_start ?? "" });
  const ordered = [...cycles.values()].sort((a, b) => b.start.localeCompare(a.start) || b.id - a.id);
  const asked = Number(search.get("cycle"));
  const cycle = ordered.find((c) => c.id === asked) ?? ordered[0] ?? null;
  const inCycle = rows.filter((r) => cycle && r.cycle_id === cycle.id).map(toReport);
  inCycle.sort((a, b) => a.reportName.localeCompare(b.reportName) || a.id - b.id);
  const reports = inCycle.map((r) => ({ id: r.reportId, name: r.reportName }));
  const testers = [...new Map(inCycle.flatMap((r) => r.testers).map((t) => [t.id, t])).values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const reportId = Number(search.get("report"));
  const report = reports.some((r) => r.id === reportId) ? reportId : null;
  const testerId = search.get("tester");
  const tester = testers.some((t) => t.id === testerId) ? testerId : null;
  const shown = inCycle.filter(
    (r) => (report === null || r.reportId === report) && (tester === null || r.testers.some((t) => t.id === tester)),
  );
  return {
    cycles: ordered.map(({ id, name }) => ({ id, name })),
    cycle: cycle ? { id: cycle.id, name: cycle.name } : null,
    reports,
    testers,
    filter: { report, tester },
    rows: shown,
    totals: {
      requestsOpen: shown.reduce((n, r) => n + r.requestsOpen, 0),
      requestsOverdue: shown.reduce((n, r) => n + r.requestsOverdue, 0),
      testsFailed: shown.reduce((n, r) => n + r.testsFailed, 0),
      observations: Object.fromEntries(
        severities.map((s) => [
          s,
          shown.reduce((n, r) => n + Object.values(r.observations[s]).reduce((a, b) => a + b, 0), 0),
        ]),
      ) as Record<Severity, number>,
    },
  };
}
