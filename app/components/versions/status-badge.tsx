import { Badge } from "~/components/status-badge";
import type { ItemStatus, VersionStatus } from "~/lib/versions.server";

// A symbol beside each label, so a state never depends on colour alone; one colour per state in every phase.
const versionStyles: Record<VersionStatus, { label: string; symbol: string; badge: string }> = {
  draft: { label: "Draft", symbol: "✎", badge: "bg-blue-50 text-blue-800 ring-blue-300" },
  pending_approval: { label: "Awaiting approval", symbol: "…", badge: "bg-amber-50 text-amber-900 ring-amber-300" },
  approved: { label: "Approved", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-300" },
  rejected: { label: "Rejected", symbol: "✕", badge: "bg-red-50 text-red-800 ring-red-300" },
  superseded: { label: "Superseded", symbol: "↷", badge: "bg-slate-100 text-slate-600 ring-slate-300" },
};

/** The state of a version. */
export function VersionStatusBadge({ status }: { status: VersionStatus }) {
  return <Badge {...versionStyles[status]} />;
}

const itemStyles: Record<ItemStatus, { label: string; symbol: string; badge: string }> = {
  pending: { label: "Pending", symbol: "○", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
  approved: { label: "Approved", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-300" },
  rejected: { label: "Rejected", symbol: "✕", badge: "bg-red-50 text-red-800 ring-red-300" },
};

/** The state of an item (derived from its decisions), or of one side's decision on it. */
export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  return <Badge {...itemStyles[status]} />;
}
