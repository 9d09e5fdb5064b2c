import { Form, Link } from "@remix-run/react";
import { observationStages, severities, type CycleView, type CycleViewReport } from "~/lib/cycle-view";

const stageColours: Record<string, string> = {
  draft: "#cbd5e1",
  open: "#dc2626",
  "in remediation": "#f59e0b",
  "validated or closed": "#16a34a",
};

/** A pass rate as a bar out of 100 %, with the figure in text beside it. */
function RateBar({ label, rate, detail }: { label: string; rate: number | null; detail: string }) {
  return (
    <div className="flex items-center gap-2 text-xs">
      <span className="w-24 shrink-0 text-slate-600">{label}</span>
      <svg width="120" height="10" role="img" aria-label={`${label}: ${rate === null ? "no results" : `${rate} %`}`}>
        <rect width="120" height="10" rx="2" fill="#e2e8f0" />
        {rate !== null ? (
          <rect width={(120 * rate) / 100} height="10" rx="2" fill={rate >= 95 ? "#16a34a" : "#f59e0b"} />
        ) : null}
      </svg>
      <span className="tabular-nums">{rate === null ? "—" : `${rate} %`}</span>
      <span className="text-slate-500">{detail}</span>
    </div>
  );
}

/** Observations of one report: one stacked bar per severity, segments by stage, counts in text. */
function ObservationChart({ report }: { report: CycleViewReport }) {
  const max = Math.max(1, ...severities.map((s) => Object.values(report.observations[s]).reduce((a, b) => a + b, 0)));
  const width = 120;
  return (
    <table className="text-xs" aria-label={`Observations of ${report.reportName} by severity and status`}>
      <tbody>
        {severities.map((severity) => {
          const stages = observationStages.map(([stage]) => [stage, report.observations[severity][stage]] as const);
          const total = stages.reduce((n, [, c]) => n + c, 0);
          let x = 0;
          return (
            <tr key={severity}>
              <th scope="row" className="w-16 pr-2 text-left font-normal text-slate-600">
                {severity}
              </th>
              <td>
                <svg width={width} height="10" aria-hidden="true">
                  <rect width={width} height="10" rx="2" fill="#f1f5f9" />
                  {stages.map(([stage, count]) => {
                    const w = (width * count) / max;
                    const rect = <rect key={stage} x={x} width={w} height="10" fill={stageColours[stage]} />;
                    x += w;
                    return count ? rect : null;
                  })}
                </svg>
              </td>
              <td className="pl-2 tabular-nums" data-testid={`observations-${severity}`}>
                {total}
                {total
                  ? ` (${stages
                      .filter(([, c]) => c)
                      .map(([stage, c]) => `${c} ${stage}`)
                      .join(", ")})`
                  : ""}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The cycle view for admins and report owners: every cycle report of a cycle, filtered by report and tester. */
export function CycleViewSection({ view }: { view: CycleView }) {
  if (!view.cycle) return null;
  const { totals } = view;
  return (
    <section aria-labelledby="cycle-view-heading" className="mt-10 space-y-4">
      <h2 id="cycle-view-heading" className="text-lg font-semibold tracking-tight">
        Cycle view: {view.cycle.name}
      </h2>
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter the cycle view">
        <label className="block">
          <span className="block text-slate-600">Cycle</span>
          <select name="cycle" defaultValue={view.cycle.id} className="input">
            {view.cycles.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="block text-slate-600">Report</span>
          <select name="report" defaultValue={view.filter.report ?? ""} className="input">
            <option value="">Every report</option>
            {view.reports.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="block text-slate-600">Tester</span>
          <select name="tester" defaultValue={view.filter.tester ?? ""} className="input">
            <option value="">Every tester</option>
            {view.testers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-secondary">
          Show
        </button>
      </Form>
      <p className="text-sm text-slate-700" data-testid="cycle-view-totals">
        {view.rows.length} cycle {view.rows.length === 1 ? "report" : "reports"} · {totals.requestsOpen} open requests,{" "}
        {totals.requestsOverdue} overdue · {totals.testsFailed} failed tests · observations:{" "}
        {severities.map((s) => `${totals.observations[s]} ${s}`).join(", ")}
      </p>
      <p className="flex flex-wrap gap-3 text-xs text-slate-600" aria-label="Colours of the observation bars">
        {observationStages.map(([stage]) => (
          <span key={stage} className="flex items-center gap-1">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={stageColours[stage]} />
            </svg>
            {stage}
          </span>
        ))}
      </p>
      {view.rows.length ? (
        <ul className="space-y-3" aria-label="Cycle reports of the cycle">
          {view.rows.map((r) => (
            <li
              key={r.id}
              className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm md:grid-cols-3"
              aria-label={r.reportName}
            >
              <div className="space-y-1">
                <Link
                  to={`/cycle-reports/${r.id}`}
                  className="rounded font-semibold text-blue-700 underline focus-ring"
                >
                  {r.reportName}
                </Link>
                <p className="text-xs text-slate-600">
                  {r.regulation} · testers: {r.testers.map((t) => t.name).join(", ") || "none"}
                </p>
                <div className="flex items-center gap-2 text-xs">
                  <svg
                    width="120"
                    height="10"
                    role="img"
                    aria-label={`${r.phasesDone} of ${r.phasesTotal} phases done`}
                  >
                    <rect width="120" height="10" rx="2" fill="#e2e8f0" />
                    <rect
                      width={r.phasesTotal ? (120 * r.phasesDone) / r.phasesTotal : 0}
                      height="10"
                      rx="2"
                      fill="#2563eb"
                    />
                  </svg>
                  <span data-testid="cycle-view-phases">
                    {r.phasesDone} of {r.phasesTotal} phases done
                    {r.currentPhase ? ` · now: ${r.currentPhase}` : r.status === "completed" ? " · completed" : ""}
                  </span>
                </div>
              </div>
              <div className="space-y-1 text-xs">
                <p>
                  Requests: {r.requestsOpen} open,{" "}
                  <span className={r.requestsOverdue ? "font-semibold text-red-700" : ""}>
                    {r.requestsOverdue} overdue
                  </span>
                </p>
                <p>
                  Tests: {r.testsTotal} tested,{" "}
                  <span className={r.testsFailed ? "font-semibold text-red-700" : ""}>{r.testsFailed} failed</span>
                </p>
                <RateBar label="Tests passed" rate={r.testPassRate} detail={`of ${r.testsTotal}`} />
                <RateBar label="Data quality" rate={r.dqPassRate} detail={`${r.dqRules} rules`} />
              </div>
              <ObservationChart report={r} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No cycle report of this cycle matches the filter.</p>
      )}
    </section>
  );
}
