import { Link } from "@remix-run/react";
import { CreateVersionForm } from "~/components/versions/version-actions";
import type { VersionView } from "~/lib/versions.server";
import type { PhaseStatus } from "~/lib/workflow-status";

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
  return (
    <CreateVersionForm
      phaseId={phase.id}
      latestNumber={versions[0]?.number ?? null}
      copies="the attributes, mappings and sources"
    />
  );
}
