import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AttributeSources } from "~/components/profiling/attribute-sources";
import { RulesSection } from "~/components/profiling/rules-section";
import { RunsSection } from "~/components/profiling/runs-section";
import { RefusalBanner } from "~/components/refusal-banner";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext } from "~/lib/forms";
import { runProfilingAction } from "~/lib/profiling-actions.server";
import { loadWorkspace } from "~/lib/profiling-workspace.server";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Data profiling · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadWorkspace(supabase, user, id, new URL(request.url).searchParams);
  // Absent and not visible look the same, as they do through the API.
  if (!workspace) throw new Response("Not found", { status: 404, headers });
  return json(workspace, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runProfilingAction(supabase, await postedForm(request));
  // Back to the page on success, so a reload never repeats the action.
  if (result.ok) throw redirect(workspacePath(id, "profiling", result.search), { headers });
  return json(
    {
      refusal: result.refusal,
      formErrors: result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined,
    },
    { status: result.status, headers },
  );
}

export default function ProfilingPage() {
  const workspace = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-8">
        <div>
          <Link
            to={`/cycle-reports/${workspace.cycleReport.id}`}
            className="rounded text-sm text-blue-700 underline focus-ring"
          >
            {workspace.cycleReport.title}
          </Link>
          <h1 className="mt-3 text-2xl font-semibold tracking-tight">Data profiling</h1>
          <p className="text-sm text-slate-600">{workspace.cycleReport.regulation}</p>
        </div>
        {refusal ? (
          // Sticky, so a refusal of a form far down the page is still seen.
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}
        <AttributeSources sources={workspace.attributeSources} />
        <RulesSection workspace={workspace} />
        <RunsSection workspace={workspace} />
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Data profiling" />;
}
