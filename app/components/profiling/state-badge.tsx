import { Badge } from "~/components/status-badge";
import type { JobStatus } from "~/lib/profiling.server";

// A symbol beside each label, so a state never depends on colour alone.
const styles: Record<JobStatus, { label: string; symbol: string; badge: string }> = {
  queued: { label: "Queued", symbol: "○", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
  running: { label: "Running", symbol: "◐", badge: "bg-blue-50 text-blue-800 ring-blue-300" },
  completed: { label: "Completed", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-300" },
  failed: { label: "Failed", symbol: "✕", badge: "bg-red-50 text-red-800 ring-red-300" },
  cancelled: { label: "Cancelled", symbol: "–", badge: "bg-slate-100 text-slate-600 ring-slate-300" },
};

/** The state of a run or another background job (versions and items: components/versions/status-badge). */
export function StateBadge({ state }: { state: JobStatus }) {
  return <Badge {...styles[state]} />;
}
