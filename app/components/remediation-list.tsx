import { Link } from "@remix-run/react";
import type { RemediationAssignment } from "~/lib/observations.server";

/** The observations the user must remediate, on their home page, each linked to the page where they act on it. */
export function RemediationList({ assignments }: { assignments: RemediationAssignment[] }) {
  if (!assignments.length) return null;
  return (
    <section aria-labelledby="remediation-heading" className="mt-10">
      <h2 id="remediation-heading" className="text-lg font-semibold tracking-tight">
        Observations to remediate
      </h2>
      <ul className="mt-4 space-y-2" aria-label="Observations to remediate">
        {assignments.map((a) => (
          <li key={a.observationId} className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
            <Link
              to={`/cycle-reports/${a.cycleReportId}/observations?observation=${a.observationId}`}
              className="rounded font-medium text-blue-700 underline focus-ring"
            >
              {a.title}
            </Link>
            <span className="ml-2 text-xs text-slate-600">
              {a.about} · {a.severity} · {a.status.replace(/_/g, " ")}
              {a.dueDate ? ` · due ${a.dueDate}` : ""}
            </span>
            {a.overdue ? <span className="ml-2 text-xs font-semibold text-red-700">overdue</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
