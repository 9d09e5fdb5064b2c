import {
  json,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { CasePanel } from "~/components/testing/case-panel";
import { TestGrid, TestProgress } from "~/components/testing/test-grid";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { CreateVersionForm, VersionActions } from "~/components/versions/version-actions";
import { VersionHistory } from "~/components/versions/version-history";
import { VersionPicker } from "~/components/versions/version-picker";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext, useFormCheck } from "~/lib/forms";
import { decideManyForm, readDecideMany } from "~/lib/version-forms";
import { FieldError, fieldControl } from "~/components/form-field";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { caseFilters, matchesFilter } from "~/lib/testing";
import { evidenceMaxBytes } from "~/lib/requests.server";
import { runTestingAction, uploadCaseEvidence } from "~/lib/testing-actions.server";
import { loadTestingWorkspace, type ItemReviewer, type TestCaseView } from "~/lib/testing.server";
import { invalid } from "~/lib/versions.server";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Test execution · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadTestingWorkspace(supabase, user, id, new URL(request.url).searchParams);
  // Absent and not visible look the same, as they do through the API.
  if (!workspace) throw new Response("Not found", { status: 404, headers });
  return json(workspace, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  let result;
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    // The one multipart form: a file uploaded on a test case.
    try {
      const form = await unstable_parseMultipartFormData(
        request,
        unstable_createMemoryUploadHandler({ maxPartSize: evidenceMaxBytes }),
      );
      result = await uploadCaseEvidence(supabase, id, form);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      result = invalid("The file is larger than 25 MiB.");
    }
  } else {
    result = await runTestingAction(supabase, await postedForm(request));
  }
  // Back to the page on success (keeping its filter and open case), so a reload never repeats the action.
  if (result.ok) {
    const current = new URL(request.url).searchParams;
    const keep = Object.fromEntries(["filter", "case"].flatMap((k) => (current.get(k) ? [[k, current.get(k)!]] : [])));
    throw redirect(workspacePath(id, "testing", { ...keep, ...result.search }), { headers });
  }
  // A form's own mistakes go back beside its fields; the banner is for the database's refusals.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

const phaseNotice: Record<string, string> = {
  not_started: "The test execution phase has not started. Start it on the cycle report page to test the samples.",
  completed: "The test execution phase is completed; its results are read only.",
  skipped: "The test execution phase was skipped.",
};

/** The reviewer signs off, in one call, every prepared case shown that someone else prepared. */
function BulkSignOff({
  versionId,
  cases,
  reviewer,
}: {
  versionId: string;
  cases: TestCaseView[];
  reviewer: ItemReviewer;
}) {
  const busy = useSubmitting("decide_many");
  const formId = "sign-off-many";
  const { errors, onSubmit } = useFormCheck(formId, decideManyForm, readDecideMany);
  if (!cases.length) return null;
  return (
    <IntentForm
      formId={formId}
      onSubmit={onSubmit}
      intent="decide_many"
      hidden={{ version_id: versionId, item: "test_case", side: "tester", decision: "approved" }}
      label="Sign off many test cases"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm"
    >
      {cases.map((c) => (
        <input key={c.id} type="hidden" name="item_id" value={c.id} />
      ))}
      <div>
        <label htmlFor={`${formId}-notes`} className="block font-medium">
          Review notes
        </label>
        <input {...fieldControl(formId, "notes", errors.notes)} className="input mt-0 py-1" />
        <FieldError formId={formId} name="notes" error={errors.notes} />
      </div>
      <button type="submit" className="btn-secondary" disabled={busy}>
        Sign off {cases.length} awaiting review
      </button>
      <span className="text-xs text-slate-600">
        {reviewer === "report_owner"
          ? "As the report owner you review the tests the testers prepared."
          : "Only tests prepared by someone else; yours are reviewed by another tester."}
      </span>
    </IntentForm>
  );
}

export default function TestingPage() {
  const workspace = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, versions, version, works, reviews, cases, filter, selected, reviewer, signsOff } =
    workspace;
  const open = versions.some((v) => v.status === "draft" || v.status === "pending_approval");
  const canCreate = works && phase.status === "in_progress" && !open;
  const draft = version?.status === "draft" && works;
  const query: Record<string, string> = { ...(version ? { version: version.id } : {}), filter };
  // The sign-off is offered to whom the phase names as reviewer: a second tester, or the report owner.
  const signing = version?.status === "draft" && signsOff;
  const toSignOff = signing
    ? cases.filter((c) => c.result && !c.reviewed && c.preparedById !== workspace.me && matchesFilter(c, filter))
    : [];
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-8">
        <div>
          <Link to={`/cycle-reports/${cycleReport.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
            {cycleReport.title}
          </Link>
          <h1 className="mt-3 text-2xl font-semibold tracking-tight">Test execution</h1>
          <p className="text-sm text-slate-600">{cycleReport.regulation}</p>
        </div>
        {refusal ? (
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        <section aria-labelledby="tests-heading" className="space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="tests-heading" className="text-lg font-semibold tracking-tight">
              Test cases
            </h2>
            {canCreate ? (
              <CreateVersionForm
                phaseId={phase.id}
                latestNumber={versions[0]?.number ?? null}
                copies="the test cases, their results, evidence and sign-offs"
              />
            ) : null}
          </div>
          {phaseNotice[phase.status] ? <p className="text-sm text-slate-600">{phaseNotice[phase.status]}</p> : null}
          <VersionPicker versions={versions} selectedId={version?.id ?? ""} />
          {version ? (
            <>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <nav aria-label="Filter test cases" className="flex flex-wrap gap-2 text-sm">
                  {caseFilters.map((f) => (
                    <Link
                      key={f.value}
                      to={`?${new URLSearchParams({ ...query, filter: f.value, ...(selected ? { case: selected.id } : {}) }).toString()}`}
                      preventScrollReset
                      aria-current={f.value === filter ? "page" : undefined}
                      className="rounded-md border border-slate-200 bg-white px-3 py-1 focus-ring aria-[current=page]:border-blue-600 aria-[current=page]:ring-1 aria-[current=page]:ring-blue-600"
                    >
                      {f.label}
                    </Link>
                  ))}
                </nav>
                <VersionActions version={version} works={works} reviews={reviews} />
              </div>
              {version.status === "rejected" && version.rejected.reason ? (
                <p className="text-sm text-red-800">Rejected: {version.rejected.reason}</p>
              ) : null}
              <TestProgress progress={workspace.progress} byAttribute={workspace.byAttribute} />
              {cases.length ? null : (
                <p className="text-sm text-slate-600">
                  This version has no test cases: no approved sample, or no in-scope attribute tested by samples.
                </p>
              )}
              <p className="text-sm text-slate-600" data-testid="reviewer">
                {reviewer === "report_owner"
                  ? "Reviewer: the report owner signs off each test case."
                  : "Reviewer: a second tester assigned to the cycle report signs off each test case."}
              </p>
              {signing ? <BulkSignOff versionId={version.id} cases={toSignOff} reviewer={reviewer} /> : null}
              <div className="grid gap-4 lg:grid-cols-[1fr_24rem]">
                <TestGrid
                  samples={workspace.samples}
                  attributes={workspace.attributes}
                  cases={cases}
                  filter={filter}
                  selectedId={selected?.id ?? null}
                  query={query}
                />
                {selected ? (
                  <CasePanel
                    versionId={version.id}
                    testCase={selected}
                    sampleData={workspace.samples.find((s) => s.key === selected.sampleKey)?.data ?? {}}
                    editable={!!draft}
                    signsOff={!!signing}
                    cycleReportId={cycleReport.id}
                    evidence={workspace.evidence}
                    candidates={workspace.candidates}
                    me={workspace.me}
                    trace={workspace.trace}
                    rules={workspace.rules}
                  />
                ) : (
                  <p className="text-sm text-slate-600">Choose a cell to open its test case.</p>
                )}
              </div>
              {cases.some((c) => c.result === "fail") ? (
                <section aria-labelledby="exceptions-heading" className="space-y-2">
                  <h3 id="exceptions-heading" className="text-base font-semibold">
                    Exceptions
                  </h3>
                  <p className="text-xs text-slate-600">
                    Failed tests; each becomes an observation in the observations phase.
                  </p>
                  <ul className="space-y-1 text-sm" aria-label="Exceptions">
                    {cases
                      .filter((c) => c.result === "fail")
                      .map((c) => (
                        <li key={c.id}>
                          <Link
                            to={`?${new URLSearchParams({ ...query, case: c.id }).toString()}`}
                            preventScrollReset
                            className="font-medium text-blue-700 underline focus-ring"
                          >
                            {c.sampleKey} · {c.attribute}
                          </Link>{" "}
                          — {c.exception}
                        </li>
                      ))}
                  </ul>
                </section>
              ) : null}
              <section aria-labelledby="history-heading" className="space-y-2">
                <h3 id="history-heading" className="text-base font-semibold">
                  Version history
                </h3>
                <VersionHistory versions={versions} selectedId={version.id} itemsLabel="Test cases" />
              </section>
            </>
          ) : (
            <p className="text-sm text-slate-600">No version of the tests exists yet.</p>
          )}
        </section>
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Test execution" />;
}
