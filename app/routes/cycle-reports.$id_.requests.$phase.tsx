import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { NewRequestsForm } from "~/components/requests/new-requests-form";
import { RequestStatusBadge } from "~/components/requests/request-status";
import { FormErrorsContext } from "~/lib/forms";
import { requireUser } from "~/lib/auth.server";
import { getCycleReport, viewerOf } from "~/lib/cycle-reports.server";
import {
  createRequests,
  listPhaseRequests,
  requestableItems,
  requestPhaseOf,
  requestPhases,
  runRequestMove,
} from "~/lib/requests.server";
import { cycleReportIdOf } from "~/lib/route-params";
import { PageErrorBoundary } from "~/components/page-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.phaseTitle} · ${data.reportName} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const phase = requestPhaseOf(params.phase);
  const { user, supabase, headers } = await requireUser(request);
  const cycleReport = await getCycleReport(supabase, await viewerOf(supabase, user), id);
  if (!cycleReport) throw new Response("Not found", { status: 404, headers });
  const [requests, requestable] = await Promise.all([
    listPhaseRequests(supabase, id, phase),
    cycleReport.relationship.works ? requestableItems(supabase, id, phase) : null,
  ]);
  return json(
    {
      id,
      phase,
      phaseTitle: requestPhases[phase].title,
      asksSamples: requestPhases[phase].asks === "sample_attribute",
      reportName: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      phaseStatus: cycleReport.phases.find((p) => p.name === phase)?.status ?? null,
      works: cycleReport.relationship.works,
      requests,
      requestable,
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const phase = requestPhaseOf(params.phase);
  const { supabase, headers } = await requireUser(request);
  const form = await postedForm(request);
  const result =
    form.get("intent") === "create" ? await createRequests(supabase, form) : await runRequestMove(supabase, form);
  if (result.ok) throw redirect(`/cycle-reports/${id}/requests/${phase}`, { headers });
  // A form's own mistakes go back beside its fields (by its form_id); the database's refusals to the banner.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

export default function PhaseRequestsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { requestable } = data;
  const open = data.requests.filter((r) => !["accepted", "closed"].includes(r.status)).length;
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section>
        <Link to={`/cycle-reports/${data.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
          {data.reportName}
        </Link>
        <h1 className="mt-3 text-2xl font-semibold tracking-tight">{data.phaseTitle}</h1>
        <p className="text-sm text-slate-600">
          {data.requests.length} requests, {open} open. The phase completes when every request is accepted or closed
          with a reason.
        </p>

        {refusal ? (
          <div className="mt-4">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        {data.phaseStatus === "skipped" ? (
          <p className="mt-6 text-sm text-slate-600">This phase was skipped: no requests are sent in it.</p>
        ) : data.works && requestable ? (
          <NewRequestsForm
            requestable={requestable}
            asksSamples={data.asksSamples}
            started={data.phaseStatus === "in_progress"}
            busy={busy}
          />
        ) : null}

        <h2 className="mt-8 text-lg font-semibold tracking-tight">Requests</h2>
        {data.requests.length ? (
          <table className="mt-3 w-full text-left text-sm" aria-label="Requests">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">Request</th>
                <th>Assignee</th>
                <th>Due</th>
                <th>Status</th>
                <th>Responses</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.requests.map((r) => (
                <tr key={r.id} className="border-t border-slate-200 align-top" data-request-title={r.title}>
                  <td className="py-2">
                    <Link to={`/requests/${r.id}`} className="rounded text-blue-700 underline focus-ring">
                      {r.title}
                    </Link>
                    {r.status === "returned" && r.returnReason ? (
                      <p className="text-xs text-slate-600">Returned: {r.returnReason}</p>
                    ) : null}
                    {r.status === "closed" && r.closeReason ? (
                      <p className="text-xs text-slate-600">Closed: {r.closeReason}</p>
                    ) : null}
                  </td>
                  <td>{r.assignee ?? "—"}</td>
                  <td className="tabular-nums">{r.dueDate ?? "—"}</td>
                  <td>
                    <RequestStatusBadge status={r.status} overdue={r.isOverdue} />
                  </td>
                  <td className="tabular-nums">
                    {r.responseCount} ({r.fileCount} files)
                  </td>
                  <td>
                    {data.works && r.status === "draft" ? (
                      <Form method="post">
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" name="intent" value="send" className="btn-secondary" disabled={busy}>
                          Send
                        </button>
                      </Form>
                    ) : null}
                    {data.works && r.status === "responded" ? (
                      <Link to={`/requests/${r.id}`} className="rounded text-blue-700 underline focus-ring">
                        Review
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No requests yet.</p>
        )}
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Requests page" />;
}
