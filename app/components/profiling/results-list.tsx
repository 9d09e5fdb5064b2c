import type { RuleResult } from "~/lib/profiling.server";
import { countOf } from "~/lib/format";
import { AnomalyCell } from "./anomaly-cell";
import { FailedSample } from "./failed-sample";
import { PassRateBar } from "./pass-rate-bar";

const count = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));

/** A run's results per rule: pass rate as a bar, counts, the failed-row sample and the anomaly mark. */
export function ResultsList({
  results,
  versionId,
  runId,
  canMark,
  running = false,
  exportBase,
}: {
  results: RuleResult[];
  versionId: string;
  runId: string;
  canMark: boolean;
  /** The run is still going: results show as its rules finish. */
  running?: boolean;
  /** Where a result's failing rows are exported (…/profiling/results); no export link without it. */
  exportBase?: string;
}) {
  if (!results.length) {
    return (
      <p className="text-sm text-slate-600">
        {running ? "The rules are running; each rule's result shows here as soon as it is done." : "No results."}
      </p>
    );
  }
  return (
    <ul
      className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm"
      aria-label="Results"
    >
      {results.map((r) => (
        <li key={r.id} className="space-y-2 p-4" data-result={r.ruleName}>
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <p className="font-medium">
                {r.ruleName} <span className="text-xs font-normal text-slate-500">· {r.attribute}</span>
                {r.requestSource ? (
                  <span className="text-xs font-normal text-slate-500"> · on {r.requestSource} (data request)</span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600">{r.definition}</p>
            </div>
            <PassRateBar rate={r.passRate} label={`Pass rate of ${r.ruleName}`} />
          </div>
          {r.status === "error" ? (
            <p className="text-sm text-red-800">The rule could not run: {r.error}</p>
          ) : (
            <p className="text-xs text-slate-600">
              {count(r.passed)} passed · {count(r.failed)} failed of {r.total === null ? "—" : countOf(r.total, "row")}{" "}
              · {r.durationMs} ms
              {exportBase && r.failed ? (
                <>
                  {" "}
                  ·{" "}
                  <a
                    href={`${exportBase}/${r.id}/failed-rows.csv`}
                    download
                    className="rounded text-blue-700 underline focus-ring"
                    aria-label={`Export all ${countOf(r.failed, "failing row")} of ${r.ruleName} (CSV)`}
                  >
                    Export all {countOf(r.failed, "failing row")} (CSV)
                  </a>
                </>
              ) : null}
            </p>
          )}
          <FailedSample
            rows={r.sample}
            failed={r.failed ?? r.sample.length}
            ruleName={r.ruleName}
            tableColumns={r.sampleColumns}
            ruleColumns={r.ruleColumns}
          />
          <AnomalyCell result={r} versionId={versionId} runId={runId} canMark={canMark} />
        </li>
      ))}
    </ul>
  );
}
