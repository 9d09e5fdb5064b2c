import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AttributeFilters } from "~/components/planning/attribute-filters";
import { AttributeForm } from "~/components/planning/attribute-form";
import { AttributesTable } from "~/components/planning/attributes-table";
import { DataSourceList } from "~/components/planning/data-sources";
import { DatabaseSourceForm, databaseSourceFormId } from "~/components/planning/database-source-form";
import { GenerateAttributes } from "~/components/planning/generate-attributes";
import { Pagination } from "~/components/planning/pagination";
import { NewVersion } from "~/components/planning/new-version";
import { UploadForm } from "~/components/planning/upload-form";
import { VersionBar } from "~/components/planning/version-bar";
import { RefusalBanner } from "~/components/refusal-banner";
import { StatusBadge } from "~/components/status-badge";
import { VersionHistory } from "~/components/versions/version-history";
import { VersionPicker } from "~/components/versions/version-picker";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext } from "~/lib/forms";
import { uploadFormId } from "~/lib/planning-forms";
import { viewerOf } from "~/lib/cycle-reports.server";
import { runPlanningAction } from "~/lib/planning-actions.server";
import { loadWorkspace } from "~/lib/planning.server";
import { cycleReportIdOf } from "~/lib/route-params";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Planning · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadWorkspace(supabase, await viewerOf(supabase, user), id, new URL(request.url));
  if (!workspace) throw new Response("Not found", { status: 404, headers });
  return json(workspace, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runPlanningAction(supabase, await postedForm(request));
  if (!result.ok) {
    const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
    return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
  }
  // Back to the same view (the version acted on, a new one when one was created), with any open edit form
  // closed, so a reload never repeats the action.
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(result.search)) url.searchParams.set(name, value);
  url.searchParams.delete("edit");
  url.searchParams.delete("map");
  throw redirect(`${url.pathname}${url.search}`, { headers });
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="mt-8 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-semibold tracking-tight">{title}</h2>
      <div className="mt-3 space-y-4">{children}</div>
    </section>
  );
}

export default function PlanningWorkspace() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, version, versions } = data;
  const { works, reviews } = cycleReport.relationship;
  const editable = works && version?.status === "draft";
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const formErrors = actionData?.formErrors ?? data.uploadFormErrors ?? undefined;
  const refusal = formErrors ? null : (actionData?.refusal ?? data.uploadRefusal);
  // A form the server sent back with field errors is open, so they are seen without JavaScript too.
  const opened = (formId: string) => formErrors?.formId === formId || undefined;
  const base = `/cycle-reports/${cycleReport.id}/planning`;

  return (
    <FormErrorsContext.Provider value={formErrors}>
      <section>
        <Link to={`/cycle-reports/${cycleReport.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
          Back to {cycleReport.title}
        </Link>
        <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Planning</h1>
            <p className="text-sm text-slate-600">{cycleReport.title}</p>
          </div>
          <StatusBadge status={phase.status} />
        </div>

        {refusal ? (
          // Sticky, so a refusal of an inline form further down the page is seen where the user is.
          <div className="sticky top-2 z-10 mt-6">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        <div className="mt-6">
          <NewVersion phase={phase} versions={versions} works={works} cycleReportId={cycleReport.id} />
        </div>

        {version ? (
          <>
            <div className="mt-6">
              <VersionPicker versions={versions} selectedId={version.id} />
            </div>
            <div className="mt-4">
              <VersionBar
                version={version}
                works={works}
                reviews={reviews}
                generate={<GenerateAttributes versionId={version.id} job={data.job} />}
              />
            </div>

            <Section title="Data sources">
              <DataSourceList sources={data.sources} editable={editable} versionId={version.id} />
              {editable ? (
                <>
                  <details open={opened(uploadFormId)}>
                    <summary className="cursor-pointer text-sm font-medium text-blue-700">Upload a CSV file</summary>
                    <div className="mt-3">
                      <UploadForm action={`${base}/uploads?version=${version.id}`} maxBytes={data.uploadMaxBytes} />
                    </div>
                  </details>
                  <details open={opened(databaseSourceFormId)}>
                    <summary className="cursor-pointer text-sm font-medium text-blue-700">
                      Add a database source
                    </summary>
                    <div className="mt-3">
                      <DatabaseSourceForm versionId={version.id} />
                    </div>
                  </details>
                </>
              ) : null}
            </Section>

            <Section title="Attributes">
              {editable ? (
                <details open={opened("attribute-new")}>
                  <summary className="cursor-pointer text-sm font-medium text-blue-700">Add an attribute</summary>
                  <div className="mt-3">
                    {/* Keyed by the item count, so the form starts empty again after each addition. */}
                    <AttributeForm key={version.itemCount} versionId={version.id} sources={data.sources} />
                  </div>
                </details>
              ) : null}
              <AttributeFilters query={data.query} versionId={version.id} />
              {data.attributes ? (
                <>
                  <AttributesTable
                    attributes={data.attributes.rows}
                    sources={data.sources}
                    versionId={version.id}
                    editable={editable}
                    editId={data.editId}
                    mapId={data.mapId}
                  />
                  <Pagination page={data.query.page} pages={data.attributes.pages} total={data.attributes.total} />
                </>
              ) : null}
            </Section>

            <Section title="Version history">
              <VersionHistory
                versions={versions}
                selectedId={version.id}
                diffAction={`${base}/diff`}
                itemsLabel="Attributes"
                itemsOf={(v) => versions.find((p) => p.id === v.id)?.counts?.attributes ?? 0}
              />
            </Section>
          </>
        ) : null}
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Planning" />;
}
