import type { ProfilingWorkspace } from "~/lib/profiling-workspace.server";
import { ComparisonTable } from "./comparison-table";
import { ResultsList } from "./results-list";
import { JobProgress } from "./job-progress";
import { CompareForm, RunsTable } from "./runs-table";

/** The selected run (progress, then results and export) and every run of the cycle report, comparable. */
export function RunsSection({ workspace }: { workspace: ProfilingWorkspace }) {
  const { cycleReport, version, run, runs, results, comparison, works } = workspace;
  if (!runs.length) return null;
  const base = `/cycle-reports/${cycleReport.id}/profiling/runs`;
  const keep: Record<string, string> = {
    ...(version ? { version: version.id } : {}),
    ...(run ? { run: run.id } : {}),
  };
  return (
    <section aria-labelledby="runs-heading" className="space-y-6">
      <h2 id="runs-heading" className="text-lg font-semibold tracking-tight">
        Runs
      </h2>
      {run ? (
        <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h3 className="text-base font-semibold">
              Run of version {run.versionNumber ?? "?"}, started {run.started.at}
              {run.started.by ? ` by ${run.started.by}` : ""}
            </h3>
            {results.length ? (
              <a href={`${base}/${run.id}/results.csv`} download className="btn-secondary">
                Export results (CSV)
              </a>
            ) : null}
          </div>
          <JobProgress job={run} progressUrl={`${base}/${run.id}/progress`} label="Run progress" reloadOnProgress />
          <ResultsList
            results={results}
            versionId={run.versionId ?? ""}
            runId={run.id}
            canMark={works}
            exportBase={`/cycle-reports/${cycleReport.id}/profiling/results`}
            running={run.status === "queued" || run.status === "running"}
          />
        </div>
      ) : null}
      <div className="space-y-3">
        <h3 className="text-base font-semibold">All runs</h3>
        <RunsTable runs={runs} selectedId={run?.id ?? null} />
        <CompareForm
          runs={runs}
          keep={keep}
          before={comparison?.before.id ?? null}
          after={comparison?.after.id ?? null}
        />
        {comparison ? <ComparisonTable rows={comparison.rows} /> : null}
      </div>
    </section>
  );
}
