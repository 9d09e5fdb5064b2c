import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormField } from "~/components/form-field";
import { RefusalBanner } from "~/components/refusal-banner";
import { PopulationSearch, SampleRequests } from "~/components/sampling/population-search";
import { SamplesTable } from "~/components/sampling/samples-table";
import { SampleSizeCalculator, SelectionForm } from "~/components/sampling/selection-form";
import { DrawJobPanel, ReperformPanel, SelectionSummary } from "~/components/sampling/selection-summary";
import { IntentForm } from "~/components/versions/intent-form";
import { CreateVersionForm, VersionActions } from "~/components/versions/version-actions";
import { VersionHistory } from "~/components/versions/version-history";
import { VersionPicker } from "~/components/versions/version-picker";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { requireUser } from "~/lib/auth.server";
import { runSamplingAction } from "~/lib/sampling-actions.server";
import { FormErrorsContext, useFormCheck } from "~/lib/forms";
import { addSampleForm, samplingFormIds } from "~/lib/sampling-forms";
import { loadSamplingWorkspace } from "~/lib/sampling.server";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Sample selection · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadSamplingWorkspace(supabase, user, id, new URL(request.url).searchParams);
  // Absent and not visible look the same, as they do through the API.
  if (!workspace) throw new Response("Not found", { status: 404, headers });
  return json(workspace, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runSamplingAction(supabase, await postedForm(request));
  // Back to the page on success, so a reload never repeats the action.
  if (result.ok) throw redirect(workspacePath(id, "sampling", result.search), { headers });
  // A form's own mistakes go back beside its fields (by its form_id); the database's refusals to the banner.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

const phaseNotice: Record<string, string> = {
  not_started: "The sample selection phase has not started. Start it on the cycle report page to draw samples.",
  completed: "The sample selection phase is completed; its samples are read only.",
  skipped: "The sample selection phase was skipped.",
};

/** Adds a sample by its key, with a reason; one schema (addSampleForm) checks it in the browser and on the server. */
function AddSampleForm({ versionId }: { versionId: string }) {
  const { onSubmit, field } = useFormCheck(samplingFormIds.add, addSampleForm);
  return (
    <IntentForm
      intent="add_sample"
      formId={samplingFormIds.add}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId }}
      label="Add a sample by key"
      className="flex flex-wrap items-start gap-2"
    >
      <FormField {...field("sample_key")} label="Key">
        {(control) => <input {...control} required className="input w-40" />}
      </FormField>
      <FormField {...field("reason")} label="Why this sample" className="grow">
        {(control) => <input {...control} required className="input" />}
      </FormField>
      <button type="submit" className="btn-secondary mt-6">
        Add sample
      </button>
    </IntentForm>
  );
}

export default function SamplingPage() {
  const workspace = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, versions, version, selection, samples, works, reviews } = workspace;
  const open = versions.some((v) => v.status === "draft" || v.status === "pending_approval");
  const canCreate = works && phase.status === "in_progress" && !open;
  const draft = version?.status === "draft" && works;
  const population = workspace.sources.find((s) => s.id === selection?.dataSourceId);
  const sourceName = population?.name ?? "the data source";
  const carried = samples.filter((s) => s.source === "carried_forward").length;
  const approved = samples.filter((s) => s.status === "approved").length;
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-8">
        <div>
          <Link to={`/cycle-reports/${cycleReport.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
            {cycleReport.title}
          </Link>
          <h1 className="mt-3 text-2xl font-semibold tracking-tight">Sample selection</h1>
          <p className="text-sm text-slate-600">{cycleReport.regulation}</p>
        </div>
        {refusal ? (
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        <section aria-labelledby="samples-heading" className="space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="samples-heading" className="text-lg font-semibold tracking-tight">
              Samples
            </h2>
            {canCreate ? (
              <CreateVersionForm
                phaseId={phase.id}
                latestNumber={versions[0]?.number ?? null}
                copies="the approved samples"
              />
            ) : null}
          </div>
          {phaseNotice[phase.status] ? <p className="text-sm text-slate-600">{phaseNotice[phase.status]}</p> : null}
          <VersionPicker versions={versions} selectedId={version?.id ?? ""} />
          {version ? (
            <>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <p className="text-sm text-slate-600" aria-label="Sample counts">
                  {version.itemCount} samples · {approved} approved · {carried} carried forward · tester decided{" "}
                  {version.testerDecided} · owner decided {version.ownerDecided}
                </p>
                <div className="flex flex-wrap items-center gap-3">
                  <a
                    href={`/cycle-reports/${cycleReport.id}/sampling/samples.csv?version=${version.id}`}
                    className="rounded text-sm text-blue-700 underline focus-ring"
                    download
                  >
                    Export samples (CSV)
                  </a>
                  <VersionActions version={version} works={works} reviews={reviews} />
                </div>
              </div>
              {version.status === "rejected" && version.rejected.reason ? (
                <p className="text-sm text-red-800">Rejected: {version.rejected.reason}</p>
              ) : null}

              {draft ? (
                <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
                  <h3 className="text-base font-semibold">Sample-size calculator</h3>
                  <SampleSizeCalculator calculator={workspace.calculator} versionId={version.id} />
                  <h3 className="pt-2 text-base font-semibold">Draw the samples</h3>
                  <SelectionForm
                    // The calculator's inputs become the form's: a new calculation starts the form afresh.
                    key={`${workspace.calculator.confidence}:${workspace.calculator.tolerable}:${workspace.calculator.expected}`}
                    workspace={workspace}
                    versionId={version.id}
                  />
                </div>
              ) : null}
              {workspace.drawJob ? <DrawJobPanel job={workspace.drawJob} /> : null}
              {selection ? (
                <>
                  <SelectionSummary selection={selection} sourceName={sourceName} />
                  {workspace.reperformJob ? <DrawJobPanel job={workspace.reperformJob} what="re-performance" /> : null}
                  <ReperformPanel
                    versionId={version.id}
                    reperformances={workspace.reperformances}
                    inBackground={population ? !population.isUpload : false}
                  />
                </>
              ) : (
                <p className="text-sm text-slate-600">No selection has been run for this version yet.</p>
              )}
              <SampleRequests requests={workspace.requests} versionId={version.id} canAdd={draft} />
              <SamplesTable
                versionId={version.id}
                samples={samples}
                editing={{ tester: draft, owner: reviews && version.status === "pending_approval" }}
              />
              {draft && selection ? (
                <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
                  <h3 className="mb-3 text-base font-semibold">Add a sample by hand</h3>
                  <AddSampleForm versionId={version.id} />
                </div>
              ) : null}
              {selection && (reviews || works) ? (
                <PopulationSearch
                  versionId={version.id}
                  search={workspace.search}
                  canRequest={reviews && version.status === "pending_approval"}
                />
              ) : null}
              <section aria-labelledby="history-heading" className="space-y-2">
                <h3 id="history-heading" className="text-base font-semibold">
                  Version history
                </h3>
                <VersionHistory versions={versions} selectedId={version.id} itemsLabel="Samples" />
              </section>
            </>
          ) : (
            <p className="text-sm text-slate-600">No version of the samples exists yet.</p>
          )}
        </section>
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Sample selection" />;
}
