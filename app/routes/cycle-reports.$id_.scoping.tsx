import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { DecisionsTable } from "~/components/scoping/decisions-table";
import { Recommend } from "~/components/scoping/recommend";
import { ScopingDiff } from "~/components/scoping/scoping-diff";
import { StatusBadge } from "~/components/status-badge";
import { VersionStatusBadge } from "~/components/versions/status-badge";
import { CreateVersionForm, VersionActions } from "~/components/versions/version-actions";
import { VersionHistory } from "~/components/versions/version-history";
import { VersionPicker } from "~/components/versions/version-picker";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext } from "~/lib/forms";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { runScopingAction } from "~/lib/scoping-actions.server";
import { decisionFilters, type DecisionFilter } from "~/lib/scoping";
import { loadScopingWorkspace } from "~/lib/scoping.server";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Scoping · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadScopingWorkspace(supabase, user, id, new URL(request.url).searchParams);
  // Absent and not visible look the same, as they do through the API.
  if (!workspace) throw new Response("Not found", { status: 404, headers });
  return json(workspace, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runScopingAction(supabase, await postedForm(request));
  if (!result.ok) {
    // A form's own mistakes go back beside its fields (by its form_id); the database's refusals to the banner.
    const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
    return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
  }
  // Back to the same view (filter kept), so a reload never repeats the action.
  const state = new URL(request.url).searchParams.get("state");
  throw redirect(workspacePath(id, "scoping", { ...result.search, ...(state ? { state } : {}) }), { headers });
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-semibold tracking-tight">{title}</h2>
      <div className="mt-3 space-y-4">{children}</div>
    </section>
  );
}

function Filters({
  filter,
  counts,
  versionId,
}: {
  filter: DecisionFilter;
  counts: Record<DecisionFilter, number>;
  versionId: string;
}) {
  return (
    <nav aria-label="Filter by decision state" className="flex flex-wrap gap-2 text-sm">
      {(Object.entries(decisionFilters) as [DecisionFilter, string][]).map(([value, words]) => (
        <Link
          key={value}
          to={`?${new URLSearchParams({ version: versionId, ...(value === "all" ? {} : { state: value }) })}`}
          aria-current={value === filter ? "page" : undefined}
          className="rounded-md border border-slate-200 px-2 py-1 focus-ring aria-[current=page]:border-blue-600 aria-[current=page]:ring-1 aria-[current=page]:ring-blue-600"
        >
          {words} ({counts[value]})
        </Link>
      ))}
    </nav>
  );
}

export default function ScopingWorkspace() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, version, versions, works, reviews } = data;
  const latest = versions[0] ?? null;
  const canStart =
    works &&
    phase.status === "in_progress" &&
    (!latest || latest.status === "approved" || latest.status === "rejected");
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-6">
        <div>
          <Link to={`/cycle-reports/${cycleReport.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
            Back to {cycleReport.title}
          </Link>
          <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
            <div>
              <h1 className="text-2xl font-semibold tracking-tight">Scoping</h1>
              <p className="text-sm text-slate-600">
                {cycleReport.title} · {cycleReport.regulation}
              </p>
            </div>
            <StatusBadge status={phase.status} />
          </div>
        </div>

        {refusal ? (
          // Sticky, so a refusal of a row's form far down the table is seen where the user is.
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        {canStart ? (
          <CreateVersionForm phaseId={phase.id} latestNumber={latest?.number ?? null} copies="the decisions" />
        ) : null}
        {!version ? (
          <p className="text-sm text-slate-600">
            {phase.status === "in_progress"
              ? "No scoping version yet. A new version holds a decision for every approved planning attribute."
              : phase.status === "skipped"
                ? "Scoping was skipped: every approved planning attribute is in scope."
                : "Scoping starts once planning is completed and the phase is started."}
          </p>
        ) : (
          <>
            <VersionPicker versions={versions} selectedId={version.id} />
            <div className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <div className="space-y-1 text-sm">
                <p className="flex items-center gap-2 font-medium">
                  Version {version.number} <VersionStatusBadge status={version.status} />
                </p>
                <p className="text-slate-600" data-counts>
                  {version.itemCount} attributes · {version.testerDecided} decided by the tester ·{" "}
                  {version.ownerDecided} decided by the owner
                </p>
                {version.rejected.reason ? <p className="text-red-800">Rejected: {version.rejected.reason}</p> : null}
              </div>
              <VersionActions
                version={version}
                works={works}
                reviews={reviews}
                draftTools={<Recommend versionId={version.id} job={data.job} />}
              />
            </div>

            <Section title="Attributes">
              <Filters filter={data.filter} counts={data.counts} versionId={version.id} />
              <DecisionsTable
                decisions={data.decisions}
                versionId={version.id}
                editable={works && version.status === "draft"}
                testerDecides={works && version.status === "draft"}
                ownerDecides={reviews && version.status === "pending_approval"}
              />
            </Section>

            {data.comparison ? (
              <Section title={`Changes from version ${data.comparison.before.number}`}>
                <ScopingDiff {...data.comparison} />
              </Section>
            ) : null}

            <Section title="Version history">
              <VersionHistory
                versions={versions}
                selectedId={version.id}
                diffAction={`/cycle-reports/${cycleReport.id}/scoping`}
                itemsLabel="Attributes"
              />
            </Section>
          </>
        )}
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Scoping" />;
}
