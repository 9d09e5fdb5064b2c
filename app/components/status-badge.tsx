import { statusStyle, type ActivityStatus, type CycleReportStatus, type PhaseStatus } from "~/lib/workflow-status";

/** A state's label with a symbol beside it, so it never depends on colour alone. */
export function Badge({ label, symbol, badge }: { label: string; symbol: string; badge: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge}`}
    >
      <span aria-hidden="true">{symbol}</span>
      {label}
    </span>
  );
}

export function StatusBadge({ status }: { status: PhaseStatus | ActivityStatus | CycleReportStatus }) {
  const { label, symbol, badge } = statusStyle(status);
  return <Badge label={label} symbol={symbol} badge={badge} />;
}
