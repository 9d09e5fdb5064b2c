import { Link } from "@remix-run/react";
import type { VersionView } from "~/lib/planning.server";
import type { PhaseStatus } from "~/lib/workflow-status";
import { PlanningForm, useSubmitting } from "./planning-form";

/**
 * What to do when no version is open: start planning first, create the first version, or start the next
 * one from the latest approved or rejected version (the database copies its items with lineage).
 */
export function NewVersion({
  phase,
  versions,
  works,
  cycleReportId,
}: {
  phase: { id: number; status: PhaseStatus };
  versions: VersionView[];
  works: boolean;
  cycleReportId: number;
}) {
  const busy = useSubmitting("create_version");
  const open = versions.some((v) => v.status === "draft" || v.status === "pending_approval");
  if (phase.status === "not_started") {
    return (
      <p className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm">
        Planning has not started yet.{" "}
        <Link to={`/cycle-reports/${cycleReportId}`} className="text-blue-700 underline">
          Start it on the cycle report page
        </Link>
        .
      </p>
    );
  }
  if (!works || open || phase.status !== "in_progress") {
    return versions.length ? null : <p className="text-sm text-slate-600">No planning version yet.</p>;
  }
  const latest = versions[0];
  return (
    <PlanningForm intent="create_version" hidden={{ phaseId: phase.id }} className="flex items-center gap-3">
      <button type="submit" className="btn-secondary" disabled={busy}>
        {latest ? `Start version ${latest.number + 1}` : "Create the first version"}
      </button>
      {latest ? (
        <span className="text-sm text-slate-600">
          Copies the attributes, mappings and sources of the latest decided version.
        </span>
      ) : null}
    </PlanningForm>
  );
}
