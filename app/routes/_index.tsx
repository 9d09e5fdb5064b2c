import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CycleReportCardView } from "~/components/cycle-report-card";
import { CycleViewSection } from "~/components/cycle-view";
import { RemediationList } from "~/components/remediation-list";
import { requireUser } from "~/lib/auth.server";
import { totalAwaiting } from "~/lib/cycle-report-summary";
import { listCycleReports, viewerOf } from "~/lib/cycle-reports.server";
import { loadCycleView } from "~/lib/cycle-view.server";
import { listRemediationAssignments } from "~/lib/observations.server";
import { getProfile } from "~/lib/profile.server";
import { listAssignedRequests } from "~/lib/requests.server";
import { AssignedRequests } from "~/components/requests/assigned-requests";
import { PageErrorBoundary } from "~/components/page-error";

export const meta: MetaFunction = () => [{ title: "Home · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, supabase, headers } = await requireUser(request);
  const [profile, viewer] = await Promise.all([getProfile(supabase, user), viewerOf(supabase, user)]);
  if (profile.isDataProvider) {
    const [requests, remediation] = await Promise.all([
      listAssignedRequests(supabase, user.id),
      listRemediationAssignments(supabase),
    ]);
    return json(
      { profile, cycleReports: [], awaiting: totalAwaiting([]), filter: null, requests, cycleView: null, remediation },
      { headers },
    );
  }
  const search = new URL(request.url).searchParams;
  const [cycleReports, cycleView, remediation] = await Promise.all([
    listCycleReports(supabase, viewer),
    profile.isAdmin || profile.isReportOwner ? loadCycleView(supabase, search) : null,
    listRemediationAssignments(supabase),
  ]);
  // ?awaiting=decisions|approvals: the counters' links show the cycle reports behind their count.
  const only = search.get("awaiting");
  const filter = only === "decisions" || only === "approvals" ? only : null;
  return json(
    {
      profile,
      cycleReports: filter ? cycleReports.filter((c) => c.awaiting[filter] > 0) : cycleReports,
      awaiting: totalAwaiting(cycleReports),
      filter,
      requests: null,
      cycleView,
      remediation,
    },
    { headers },
  );
}

export default function Home() {
  const { profile, cycleReports, awaiting, filter, requests, cycleView, remediation } = useLoaderData<typeof loader>();
  const counter = (kind: "decisions" | "approvals", count: number, testId: string) =>
    count > 0 ? (
      <Link
        to={`/?awaiting=${kind}#cycle-reports`}
        data-testid={testId}
        className="rounded font-semibold text-blue-700 underline focus-ring"
        aria-label={`${count} ${kind === "decisions" ? (count === 1 ? "decision" : "decisions") : count === 1 ? "version" : "versions"} awaiting you: show the cycle reports`}
      >
        {count}
      </Link>
    ) : (
      <span data-testid={testId}>{count}</span>
    );
  return (
    <section>
      <h1 className="text-2xl font-semibold tracking-tight">
        Welcome{profile.fullName ? `, ${profile.fullName}` : ""}
      </h1>
      <div className="mt-6 flex flex-wrap gap-4">
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm">
          <dt className="font-medium text-slate-600">Signed in as</dt>
          <dd data-testid="home-email">{profile.email}</dd>
          {profile.fullName ? (
            <>
              <dt className="font-medium text-slate-600">Name</dt>
              <dd>{profile.fullName}</dd>
            </>
          ) : null}
          {profile.roleLabel ? (
            <>
              <dt className="font-medium text-slate-600">Role</dt>
              <dd data-testid="home-role">{profile.roleLabel}</dd>
            </>
          ) : null}
        </dl>
        {requests ? null : (
          <dl
            aria-label="Awaiting you"
            className="grid grid-cols-[auto_1fr] content-start gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm"
          >
            <dt className="font-medium text-slate-600">Decisions to make</dt>
            <dd>{counter("decisions", awaiting.decisions, "awaiting-decisions")}</dd>
            <dt className="font-medium text-slate-600">Versions to approve</dt>
            <dd>{counter("approvals", awaiting.approvals, "awaiting-approvals")}</dd>
          </dl>
        )}
      </div>

      <RemediationList assignments={remediation} />

      {cycleView ? <CycleViewSection view={cycleView} /> : null}

      {requests ? (
        <AssignedRequests requests={requests} />
      ) : (
        <>
          <h2 id="cycle-reports" className="mt-10 text-lg font-semibold tracking-tight">
            {filter === "decisions"
              ? "Cycle reports with decisions to make"
              : filter === "approvals"
                ? "Cycle reports with versions to approve"
                : "Your cycle reports"}
          </h2>
          {filter ? (
            <Link to="/" className="mt-1 inline-block rounded text-sm text-blue-700 underline focus-ring">
              Show all your cycle reports
            </Link>
          ) : null}
          {cycleReports.length ? (
            <ul className="mt-4 space-y-4" aria-label="Cycle reports">
              {cycleReports.map((card) => (
                <CycleReportCardView key={card.id} card={card} />
              ))}
            </ul>
          ) : (
            <p className="mt-4 text-sm text-slate-600">
              No cycle reports yet. An admin assigns you to a report in a test cycle.
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Home page" />;
}
