import { Link } from "@remix-run/react";
import type { CycleReportCard } from "~/lib/cycle-report-summary";
import { PhaseProgress } from "./phase-progress";
import { StatusBadge } from "./status-badge";

function AwaitingLine({ card }: { card: CycleReportCard }) {
  const parts: string[] = [];
  // Testers decide the items of drafts; report owners decide the items of versions awaiting their approval.
  if (card.relationship.works || card.relationship.reviews) {
    parts.push(`${card.awaiting.decisions} decision${card.awaiting.decisions === 1 ? "" : "s"} to make`);
  }
  if (card.relationship.reviews) {
    parts.push(`${card.awaiting.approvals} version${card.awaiting.approvals === 1 ? "" : "s"} to approve`);
  }
  if (!parts.length) return null;
  return <p className="text-sm text-slate-700">{parts.join(" · ")}</p>;
}

export function CycleReportCardView({ card }: { card: CycleReportCard }) {
  const title = `${card.reportName} · ${card.cycleName}`;
  return (
    <li
      data-testid="cycle-report"
      data-report={card.reportName}
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="text-base font-semibold">
            <Link
              to={`/cycle-reports/${card.id}`}
              className="rounded text-blue-800 underline-offset-2 hover:underline focus-ring"
            >
              {title}
            </Link>
          </h3>
          <p className="text-sm text-slate-600">{card.regulation}</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <StatusBadge status={card.status} />
          <AwaitingLine card={card} />
        </div>
      </div>
      <div className="mt-4">
        <PhaseProgress phases={card.phases} label={`Phases of ${title}`} />
      </div>
    </li>
  );
}
