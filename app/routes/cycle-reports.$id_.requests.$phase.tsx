import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { RequestStatusBadge } from "~/components/requests/request-status";
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
  return json({ refusal: result.refusal }, { status: result.status, headers });
}

export default function PhaseRequestsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { requestable } = data;
  const open = data.requests.filter((r) => !["accepted", "closed"].includes(r.status)).length;
  return (
    <section>
      <Link to={`/cycle-reports/${data.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
        {data.reportName}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight">{data.phaseTitle}</h1>
      <p className="text-sm text-slate-600">
        {data.requests.length} requests, {open} open. The phase completes when every request is accepted or closed with
        a reason.
      </p>

      {actionData?.refusal ? (
        <div className="mt-4">
          <RefusalBanner refusal={actionData.refusal} />
        </div>
      ) : null}

      {data.phaseStatus === "skipped" ? (
        <p className="mt-6 text-sm text-slate-600">This phase was skipped: no requests are sent in it.</p>
      ) : data.works && requestable ? (
        <Form
          method="post"
          aria-label="New requests"
          className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 className="text-lg font-semibold tracking-tight">New requests</h2>
          {data.phaseStatus !== "in_progress" ? (
            <p className="text-sm text-slate-600">Start the phase to send requests.</p>
          ) : null}
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="phaseId" value={requestable.phaseId ?? ""} />
          <fieldset>
            <legend className="text-sm font-medium">In-scope attributes</legend>
            {requestable.attributes.length ? (
              <ul className="mt-2 grid gap-1 sm:grid-cols-2">
                {requestable.attributes.map((a) => (
                  <li key={a.id}>
                    <label className="flex items-start gap-2 text-sm">
                      <input type="checkbox" name="attribute" value={a.id} className="mt-1" />
                      <span>
                        {a.name}
                        {a.definition ? <span className="block text-xs text-slate-500">{a.definition}</span> : null}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-600">No attribute is in scope yet.</p>
            )}
          </fieldset>
          {data.asksSamples ? (
            <fieldset>
              <legend className="text-sm font-medium">
                Approved samples (each chosen sample × each chosen attribute)
              </legend>
              {requestable.samples.length ? (
                <ul className="mt-2 grid gap-1 sm:grid-cols-4">
                  {requestable.samples.map((s) => (
                    <li key={s.id}>
                      <label className="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="sample" value={s.id} />
                        {s.key}
                      </label>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-slate-600">No approved sample yet.</p>
              )}
            </fieldset>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-3">
            <label className="block text-sm font-medium">
              Data provider
              <select name="assignee" required className="input" defaultValue="">
                <option value="" disabled>
                  Choose…
                </option>
                {requestable.providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-sm font-medium">
              Due date
              <input type="date" name="dueDate" required className="input" />
            </label>
            <label className="block text-sm font-medium">
              Title <span className="font-normal text-slate-500">(optional)</span>
              <input name="title" maxLength={200} className="input" />
            </label>
          </div>
          <label className="block text-sm font-medium">
            Instructions
            <textarea name="instructions" rows={3} maxLength={10000} className="input" />
          </label>
          <fieldset className="flex flex-wrap gap-4 text-sm">
            <legend className="sr-only">Grouping</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="grouping" value="each" defaultChecked /> One request per item
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="grouping" value="one" /> One request for all chosen items
            </label>
          </fieldset>
          <div className="flex gap-3">
            <button type="submit" name="send" value="yes" className="btn-primary" disabled={busy}>
              Create and send
            </button>
            <button type="submit" className="btn-secondary" disabled={busy}>
              Save as drafts
            </button>
          </div>
        </Form>
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
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Requests page" />;
}
