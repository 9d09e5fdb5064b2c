import { Badge } from "~/components/status-badge";
import type { RequestStatus } from "~/lib/requests.server";

const styles: Record<RequestStatus, { label: string; symbol: string; badge: string }> = {
  draft: { label: "Draft", symbol: "✎", badge: "bg-slate-50 text-slate-700 ring-slate-300" },
  sent: { label: "Sent", symbol: "→", badge: "bg-blue-50 text-blue-800 ring-blue-200" },
  responded: { label: "Responded", symbol: "↩", badge: "bg-amber-50 text-amber-900 ring-amber-200" },
  returned: { label: "Returned", symbol: "↺", badge: "bg-orange-50 text-orange-900 ring-orange-200" },
  accepted: { label: "Accepted", symbol: "✓", badge: "bg-green-50 text-green-800 ring-green-200" },
  closed: { label: "Closed", symbol: "■", badge: "bg-slate-100 text-slate-700 ring-slate-300" },
};

/** A request's status, and "Overdue" beside it when it awaits its assignee after the due date. */
export function RequestStatusBadge({ status, overdue }: { status: RequestStatus; overdue?: boolean }) {
  return (
    <span className="inline-flex gap-1" data-status={status}>
      <Badge {...styles[status]} />
      {overdue ? <Badge label="Overdue" symbol="!" badge="bg-red-50 text-red-800 ring-red-200" /> : null}
    </span>
  );
}
