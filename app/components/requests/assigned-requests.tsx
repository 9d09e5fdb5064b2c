import { Link } from "@remix-run/react";
import { RequestStatusBadge } from "~/components/requests/request-status";
import type { RequestSummary } from "~/lib/requests.server";

/** A data provider's home: the requests awaiting their answer by due date, then those with the tester. */
export function AssignedRequests({ requests }: { requests: RequestSummary[] }) {
  const awaiting = requests.filter((r) => r.status !== "responded");
  const withTester = requests.filter((r) => r.status === "responded");
  return (
    <>
      <h2 className="mt-10 text-lg font-semibold tracking-tight">Requests awaiting your answer</h2>
      {awaiting.length ? (
        <ul className="mt-4 space-y-3" aria-label="Requests awaiting your answer">
          {awaiting.map((r) => (
            <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link to={`/requests/${r.id}`} className="rounded font-medium text-blue-700 underline focus-ring">
                  {r.title}
                </Link>
                <RequestStatusBadge status={r.status} overdue={r.isOverdue} />
              </div>
              <p className="mt-1 text-sm text-slate-600">
                Due {r.dueDate ?? "—"} · {r.itemCount} {r.itemCount === 1 ? "item" : "items"}
              </p>
              {r.status === "returned" && r.returnReason ? (
                <p className="mt-1 text-sm text-orange-900">Returned: {r.returnReason}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-slate-600">Nothing awaits your answer.</p>
      )}
      {withTester.length ? (
        <>
          <h2 className="mt-8 text-lg font-semibold tracking-tight">Answered, with the tester</h2>
          <ul className="mt-3 space-y-1 text-sm" aria-label="Answered requests">
            {withTester.map((r) => (
              <li key={r.id}>
                <Link to={`/requests/${r.id}`} className="rounded text-blue-700 underline focus-ring">
                  {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
