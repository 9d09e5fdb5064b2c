import { Badge } from "~/components/status-badge";
import type { JobStatus, VersionStatus } from "~/lib/profiling.server";

type State = VersionStatus | JobStatus | "pending";

// A symbol beside each label, so a state never depends on colour alone.
const styles: Record<State, { label: string; symbol: string; badge: string }> = {
  draft: { label: "Draft", symbol: "✎", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
  pending_approval: { label: "Awaiting approval", symbol: "…", badge: "bg-amber-50 text-amber-800 ring-amber-300" },
  approved: { label: "Approved", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-300" },
  rejected: { label: "Rejected", symbol: "✕", badge: "bg-red-50 text-red-800 ring-red-300" },
  superseded: { label: "Superseded", symbol: "↷", badge: "bg-slate-100 text-slate-600 ring-slate-300" },
  pending: { label: "Pending", symbol: "○", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
  queued: { label: "Queued", symbol: "○", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
  running: { label: "Running", symbol: "◐", badge: "bg-blue-50 text-blue-800 ring-blue-300" },
  completed: { label: "Completed", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-300" },
  failed: { label: "Failed", symbol: "✕", badge: "bg-red-50 text-red-800 ring-red-300" },
  cancelled: { label: "Cancelled", symbol: "–", badge: "bg-slate-100 text-slate-600 ring-slate-300" },
};

/** The state of a version, a rule (pending, approved, rejected) or a run. */
export function StateBadge({ state }: { state: State }) {
  return <Badge {...styles[state]} />;
}
