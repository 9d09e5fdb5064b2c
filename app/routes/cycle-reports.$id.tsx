import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PhaseCard } from "~/components/phase-card";
import { PhaseProgress } from "~/components/phase-progress";
import { RefusalBanner } from "~/components/refusal-banner";
import { StatusBadge } from "~/components/status-badge";
import { requireUser } from "~/lib/auth.server";
import { getCycleReport, viewerOf } from "~/lib/cycle-reports.server";
import { FormErrorsContext } from "~/lib/forms";
import { runTransition } from "~/lib/workflow-actions.server";
import { PageErrorBoundary } from "~/components/page-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.cycleReport.reportName} · ${data.cycleReport.cycleName} · RegTest` : "RegTest" },
];

function cycleReportId(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportId(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const cycleReport = await getCycleReport(supabase, await viewerOf(supabase, user), id);
  // Absent and not visible look the same, as they do through the API.
  if (!cycleReport) throw new Response("Not found", { status: 404, headers });
  return json({ cycleReport }, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportId(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runTransition(supabase, await postedForm(request));
  // Back to the page on success, so a reload never repeats the transition.
  if (result.ok) throw redirect(`/cycle-reports/${id}`, { headers });
  // A form's own mistakes go back beside its fields; the banner is for the database's refusals.
  return json({ refusal: result.refusal, formErrors: result.formErrors }, { status: result.status, headers });
}

export default function CycleReportPage() {
  const { cycleReport } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const title = `${cycleReport.reportName} · ${cycleReport.cycleName}`;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section>
        <Link to="/" className="rounded text-sm text-blue-700 underline focus-ring">
          All cycle reports
        </Link>
        <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
            <p className="text-sm text-slate-600">{cycleReport.regulation}</p>
          </div>
          <StatusBadge status={cycleReport.status} />
        </div>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="font-medium text-slate-600">Report owner</dt>
          <dd>{cycleReport.owner ?? "—"}</dd>
          <dt className="font-medium text-slate-600">Testers</dt>
          <dd>{cycleReport.testers.length ? cycleReport.testers.join(", ") : "None assigned"}</dd>
        </dl>

        <div className="mt-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <PhaseProgress phases={cycleReport.phases} label={`Phases of ${title}`} />
        </div>

        {actionData?.refusal && !actionData.formErrors ? (
          <div className="mt-6">
            <RefusalBanner refusal={actionData.refusal} />
          </div>
        ) : null}

        <h2 className="mt-8 text-lg font-semibold tracking-tight">Phases</h2>
        <Link
          to={`/cycle-reports/${cycleReport.id}/planning`}
          className="mr-4 mt-2 inline-block rounded text-sm text-blue-700 underline focus-ring"
        >
          Planning workspace
        </Link>
        <Link
          to={`/cycle-reports/${cycleReport.id}/scoping`}
          className="mr-4 mt-2 inline-block rounded text-sm text-blue-700 underline focus-ring"
        >
          Scoping workspace
        </Link>
        <Link to="profiling" className="mt-2 inline-block rounded text-sm text-blue-700 underline focus-ring">
          Data profiling workspace
        </Link>
        <Link
          to="requests/data_request"
          className="ml-4 mt-2 inline-block rounded text-sm text-blue-700 underline focus-ring"
        >
          Data requests
        </Link>
        <Link
          to="requests/request_info"
          className="ml-4 mt-2 inline-block rounded text-sm text-blue-700 underline focus-ring"
        >
          Requests for information
        </Link>
        <ol className="mt-4 space-y-4">
          {cycleReport.phases.map((phase) => (
            <PhaseCard
              key={phase.id}
              phase={phase}
              canWork={cycleReport.relationship.works}
              canOverride={cycleReport.canOverride}
            />
          ))}
        </ol>
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Cycle report" />;
}
