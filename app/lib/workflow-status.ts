import type { Database } from "~/types/database";

export type PhaseStatus = Database["public"]["Enums"]["phase_status"];
export type ActivityStatus = Database["public"]["Enums"]["activity_status"];
export type CycleReportStatus = Database["public"]["Enums"]["cycle_report_status"];

type AnyStatus = PhaseStatus | ActivityStatus | CycleReportStatus;

interface StatusStyle {
  label: string;
  /** Shown next to the label, so the status never depends on colour alone. */
  symbol: string;
  badge: string;
  bar: string;
}

const styles: Record<AnyStatus, StatusStyle> = {
  not_started: {
    label: "Not started",
    symbol: "○",
    badge: "bg-slate-100 text-slate-700 ring-slate-300",
    bar: "bg-slate-200",
  },
  in_progress: {
    label: "In progress",
    symbol: "◐",
    badge: "bg-blue-50 text-blue-800 ring-blue-300",
    bar: "bg-blue-600",
  },
  completed: {
    label: "Completed",
    symbol: "✓",
    badge: "bg-green-50 text-green-800 ring-green-300",
    bar: "bg-green-600",
  },
  skipped: { label: "Skipped", symbol: "–", badge: "bg-amber-50 text-amber-800 ring-amber-300", bar: "bg-amber-400" },
};

export function statusStyle(status: AnyStatus): StatusStyle {
  return styles[status];
}
