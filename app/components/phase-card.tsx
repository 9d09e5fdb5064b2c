import { Link } from "@remix-run/react";
import type { ActivityDetail, PhaseDetail, Stamp } from "~/lib/cycle-reports.server";
import { workspaceOfPhase } from "~/lib/route-params";
import { StatusBadge } from "./status-badge";
import { ReasonForm, TransitionButton } from "./transition-button";

function StampLine({ label, stamp }: { label: string; stamp: Stamp }) {
  if (!stamp.at) return null;
  return (
    <span>
      {label} {stamp.by ? `by ${stamp.by} ` : ""}on {stamp.at}
    </span>
  );
}

function Stamps({ started, completed }: { started: Stamp; completed: Stamp }) {
  if (!started.at && !completed.at) return null;
  return (
    <p className="flex flex-wrap gap-x-4 text-xs text-slate-600">
      <StampLine label="Started" stamp={started} />
      <StampLine label="Completed" stamp={completed} />
    </p>
  );
}

function ActivityRow({ activity, canWork }: { activity: ActivityDetail; canWork: boolean }) {
  const manual = activity.provenBy === null;
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 py-2" data-activity={activity.name}>
      <div className="min-w-0">
        <p className="text-sm">
          {activity.name}
          {activity.required ? null : <span className="ml-2 text-xs text-slate-500">(optional)</span>}
        </p>
        {manual ? null : <p className="text-xs text-slate-600">Completes itself when {activity.provenBy}.</p>}
        <Stamps started={activity.started} completed={activity.completed} />
      </div>
      <div className="flex items-center gap-2">
        <StatusBadge status={activity.status} />
        {manual && canWork && activity.status === "not_started" ? (
          <TransitionButton intent="start_activity" id={activity.id} label="Start" name={activity.name} />
        ) : null}
        {manual && canWork && activity.status === "in_progress" ? (
          <TransitionButton intent="complete_activity" id={activity.id} label="Complete" name={activity.name} />
        ) : null}
      </div>
    </li>
  );
}

function Reasons({ phase }: { phase: PhaseDetail }) {
  if (phase.status === "skipped" && phase.skipReason) {
    return <p className="mt-1 text-xs text-slate-600">Skipped: {phase.skipReason}</p>;
  }
  if (phase.status !== "skipped" && phase.reopenReason) {
    return <p className="mt-1 text-xs text-slate-600">Reopened: {phase.reopenReason}</p>;
  }
  return null;
}

/**
 * A phase with its activities and the transitions the user's role allows. Whether a transition is allowed
 * right now (dependencies, open activities, approvals) is the database's call; a refusal is shown above.
 */
export function PhaseCard({
  phase,
  canWork,
  canOverride,
}: {
  phase: PhaseDetail;
  canWork: boolean;
  /** Admins: skip a phase that has no approved version, reopen a completed one, each with a reason. */
  canOverride: boolean;
}) {
  const headingId = `phase-${phase.id}`;
  return (
    <li
      aria-labelledby={headingId}
      data-phase={phase.name}
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={headingId} className="text-base font-semibold">
            {phase.order}. {phase.label}
          </h3>
          {phase.dependsOn.length ? (
            <p className="text-xs text-slate-600">After: {phase.dependsOn.join(", ")}</p>
          ) : null}
          <Stamps started={phase.started} completed={phase.completed} />
          <Reasons phase={phase} />
          {workspaceOfPhase[phase.name] ? (
            <Link
              to={workspaceOfPhase[phase.name]!.segment}
              aria-label={`${phase.label}: open the workspace`}
              className="mt-1 inline-block rounded text-sm text-blue-700 underline focus-ring"
            >
              Open the workspace
            </Link>
          ) : null}
        </div>
        <div className="flex items-center gap-2">
          <StatusBadge status={phase.status} />
          {canWork && phase.status === "not_started" ? (
            <TransitionButton intent="start_phase" id={phase.id} label="Start" name={phase.label} />
          ) : null}
          {canWork && phase.status === "in_progress" ? (
            <TransitionButton intent="complete_phase" id={phase.id} label="Complete" name={phase.label} />
          ) : null}
        </div>
      </div>
      {canOverride && (phase.status === "not_started" || phase.status === "in_progress") ? (
        <ReasonForm intent="skip_phase" id={phase.id} label="Skip" name={phase.label} />
      ) : null}
      {canOverride && phase.status === "completed" ? (
        <ReasonForm intent="reopen_phase" id={phase.id} label="Reopen" name={phase.label} />
      ) : null}
      {phase.activities.length ? (
        <ul
          className="mt-3 divide-y divide-slate-100 border-t border-slate-100"
          aria-label={`Activities of ${phase.label}`}
        >
          {phase.activities.map((activity) => (
            <ActivityRow key={activity.id} activity={activity} canWork={canWork && phase.status === "in_progress"} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
