import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DiffTable } from "~/components/planning/diff-view";
import { requireUser } from "~/lib/auth.server";
import { diffVersions } from "~/lib/planning-diff";
import { loadVersionDiff } from "~/lib/planning-diff.server";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Planning versions ${data.before.number} and ${data.after.number} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const url = new URL(request.url);
  const loaded = await loadVersionDiff(supabase, id, url.searchParams.get("from"), url.searchParams.get("to"));
  if (!loaded) throw new Response("Not found", { status: 404, headers });
  const { before, after } = loaded;
  return json(
    {
      cycleReportId: id,
      before: before.version,
      after: after.version,
      diff: diffVersions(before.items, after.items),
      showUnchanged: url.searchParams.has("all"),
    },
    { headers },
  );
}

export default function PlanningDiff() {
  const { cycleReportId, before, after, diff, showUnchanged } = useLoaderData<typeof loader>();
  const beforeLabel = `Version ${before.number} (${before.status.replace("_", " ")})`;
  const afterLabel = `Version ${after.number} (${after.status.replace("_", " ")})`;
  return (
    <section>
      <Link
        to={workspacePath(cycleReportId, "planning", { version: after.id })}
        className="rounded text-sm text-blue-700 underline focus-ring"
      >
        Back to planning
      </Link>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight">
        Planning: version {before.number} and version {after.number}
      </h1>
      <Form method="get" className="mt-2 text-sm">
        <input type="hidden" name="from" value={before.id} />
        <input type="hidden" name="to" value={after.id} />
        {showUnchanged ? null : <input type="hidden" name="all" value="1" />}
        <button type="submit" className="text-blue-700 underline">
          {showUnchanged ? "Show changes only" : "Show unchanged items too"}
        </button>
      </Form>
      <DiffTable
        title="Attributes"
        changes={diff.attributes}
        beforeLabel={beforeLabel}
        afterLabel={afterLabel}
        showUnchanged={showUnchanged}
      />
      <DiffTable
        title="PDE mappings"
        changes={diff.mappings}
        beforeLabel={beforeLabel}
        afterLabel={afterLabel}
        showUnchanged={showUnchanged}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Planning" />;
}
