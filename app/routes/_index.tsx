import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CycleReportCardView } from "~/components/cycle-report-card";
import { requireUser } from "~/lib/auth.server";
import { totalAwaiting } from "~/lib/cycle-report-summary";
import { listCycleReports, viewerOf } from "~/lib/cycle-reports.server";
import { getProfile } from "~/lib/profile.server";
import { listAssignedRequests } from "~/lib/requests.server";
import { AssignedRequests } from "~/components/requests/assigned-requests";

export const meta: MetaFunction = () => [{ title: "Home · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, supabase, headers } = await requireUser(request);
  const [profile, viewer] = await Promise.all([getProfile(supabase, user), viewerOf(supabase, user)]);
  if (profile.isDataProvider) {
    const requests = await listAssignedRequests(supabase, user.id);
    return json({ profile, cycleReports: [], awaiting: totalAwaiting([]), requests }, { headers });
  }
  const cycleReports = await listCycleReports(supabase, viewer);
  return json({ profile, cycleReports, awaiting: totalAwaiting(cycleReports), requests: null }, { headers });
}

export default function Home() {
  const { profile, cycleReports, awaiting, requests } = useLoaderData<typeof loader>();
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
            <dd data-testid="awaiting-decisions">{awaiting.decisions}</dd>
            <dt className="font-medium text-slate-600">Versions to approve</dt>
            <dd data-testid="awaiting-approvals">{awaiting.approvals}</dd>
          </dl>
        )}
      </div>

      {requests ? (
        <AssignedRequests requests={requests} />
      ) : (
        <>
          <h2 className="mt-10 text-lg font-semibold tracking-tight">Your cycle reports</h2>
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
