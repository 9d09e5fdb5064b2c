import { statusStyle, type ActivityStatus, type CycleReportStatus, type PhaseStatus } from "~/lib/workflow-status";

export function StatusBadge({ status }: { status: PhaseStatus | ActivityStatus | CycleReportStatus }) {
  const style = statusStyle(status);
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}
    >
      <span aria-hidden="true">{style.symbol}</span>
      {style.label}
    </span>
  );
}
