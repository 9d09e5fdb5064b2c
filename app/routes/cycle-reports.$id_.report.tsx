import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { IntentForm } from "~/components/versions/intent-form";
import { CreateVersionForm, VersionActions } from "~/components/versions/version-actions";
import { VersionPicker } from "~/components/versions/version-picker";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { FormField } from "~/components/form-field";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext, useFormCheck } from "~/lib/forms";
import { conclusionForm } from "~/lib/test-report-forms";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { loadTestReportPage, runTestReportAction } from "~/lib/test-report.server";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Test report · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const page = await loadTestReportPage(supabase, user, id, new URL(request.url).searchParams);
  if (!page) throw new Response("Not found", { status: 404, headers });
  return json(page, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runTestReportAction(supabase, await postedForm(request));
  if (result.ok) throw redirect(workspacePath(id, "report", result.search), { headers });
  // A form's own mistakes go back beside its fields; the banner is for the database's refusals.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const cell = (value: unknown) => (value === null || value === undefined ? "—" : String(value));

function Table({ caption, columns, data }: { caption: string; columns: [string, string][]; data: Row[] }) {
  if (!data.length) return <p className="text-sm text-slate-600">{caption}: nothing recorded.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map(([, label]) => (
            <th key={label} scope="col" className="border-b border-slate-200 px-2 py-1 font-medium">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((r, i) => (
          <tr key={i}>
            {columns.map(([key]) => (
              <td key={key} className="border-b border-slate-100 px-2 py-1">
                {cell(r[key])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** The tester's conclusion of a draft; one over the column's length is said beside the field. */
function ConclusionForm({ versionId, conclusion }: { versionId: string; conclusion: string | null }) {
  const formId = "conclusion";
  const { onSubmit, field } = useFormCheck(formId, conclusionForm);
  return (
    <IntentForm
      intent="save_conclusion"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId }}
      label="Conclusion"
    >
      <FormField {...field("conclusion")} label="The tester's conclusion">
        {(control) => <textarea {...control} rows={4} defaultValue={conclusion ?? ""} className="input mt-1" />}
      </FormField>
      <button type="submit" className="btn-secondary mt-1">
        Save conclusion
      </button>
    </IntentForm>
  );
}

export default function TestReportPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, works, reviews, versions, version, report } = page;
  const open = versions.some((v) => v.status === "draft" || v.status === "pending_approval");
  const canCreate = works && phase?.status === "in_progress" && !open;
  const draft = version?.status === "draft" && works;
  const content = (report?.content ?? {}) as Row;
  const scope = (content.scope ?? {}) as Row;
  const quality = (content.data_quality ?? {}) as Row;
  const sampling = (content.sampling ?? null) as Row | null;
  const results = (content.test_results ?? {}) as Row;
  const observations = (content.observations ?? {}) as Row;
  const bySeverity = (observations.by_severity ?? {}) as Record<string, number>;
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-8">
        <div>
          <Link to={`/cycle-reports/${cycleReport.id}`} className="rounded text-sm text-blue-700 underline focus-ring">
            {cycleReport.title}
          </Link>
          <h1 className="mt-3 text-2xl font-semibold tracking-tight">Test report</h1>
          <p className="text-sm text-slate-600">{cycleReport.regulation}</p>
        </div>
        {refusal ? (
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <VersionPicker versions={versions} selectedId={version?.id ?? ""} />
          {canCreate && phase ? (
            <CreateVersionForm phaseId={phase.id} latestNumber={versions[0]?.number ?? null} copies="the conclusion" />
          ) : null}
        </div>
        {phase?.status !== "in_progress" && !version ? (
          <p className="text-sm text-slate-600">
            The test report phase is {phase?.status.replace("_", " ")}. Start it on the cycle report page to generate
            the report.
          </p>
        ) : null}
        {version && report ? (
          <article className="space-y-6 rounded-md border border-slate-200 bg-white p-4" aria-label="The test report">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-slate-700">
                Version {version.number} · <span data-testid="report-status">{version.status.replace("_", " ")}</span> ·
                generated {report.generatedAt} · checksum{" "}
                <code className="text-xs">{report.checksum.slice(0, 16)}</code>
                {version.approved.by ? ` · approved by ${version.approved.by} ${version.approved.at}` : ""}
              </p>
              <VersionActions
                version={version}
                works={works}
                reviews={reviews}
                draftTools={
                  <>
                    <IntentForm intent="refresh" hidden={{ version_id: version.id }}>
                      <button type="submit" className="btn-secondary">
                        Refresh from the records
                      </button>
                    </IntentForm>
                    {report.signed ? (
                      <span className="text-sm text-green-800">Signed by the preparer</span>
                    ) : (
                      <IntentForm intent="sign" hidden={{ version_id: version.id }}>
                        <button type="submit" className="btn-secondary">
                          Sign as preparer
                        </button>
                      </IntentForm>
                    )}
                  </>
                }
              />
            </div>
            {version.status !== "draft" ? (
              <p className="flex flex-wrap gap-3 text-sm" aria-label="Downloads">
                <a
                  href={`/cycle-reports/${cycleReport.id}/report.pdf?version=${version.id}`}
                  download
                  className="btn-secondary"
                >
                  Download PDF
                </a>
                <a
                  href={`/cycle-reports/${cycleReport.id}/report.xlsx?version=${version.id}`}
                  download
                  className="btn-secondary"
                >
                  Download Excel
                </a>
                <span className="self-center text-slate-600">
                  made from version {version.number}&apos;s frozen content, stamped with its checksum on every page and
                  sheet
                </span>
              </p>
            ) : null}
            <Section id="scope-heading" title="Scope">
              <Table
                caption="Attributes in and out of scope"
                columns={[
                  ["name", "Attribute"],
                  ["in_scope", "In scope"],
                  ["testing_approach", "Approach"],
                  ["risk_rating", "Risk"],
                  ["reason", "Reason"],
                ]}
                data={rows(scope.attributes)}
              />
            </Section>
            <Section id="quality-heading" title="Data-quality results">
              <p className="text-sm">Runs: {cell(quality.runs)}</p>
              <Table
                caption="Rules and results"
                columns={[
                  ["rule", "Rule"],
                  ["attribute", "Attribute"],
                  ["status", "Status"],
                  ["total", "Rows"],
                  ["failed", "Failed"],
                  ["pass_rate", "Pass rate %"],
                  ["anomaly", "Anomaly"],
                ]}
                data={rows(quality.rules)}
              />
            </Section>
            <Section id="sampling-heading" title="Population and sample design">
              {sampling ? (
                <p className="text-sm">
                  Method {cell(sampling.method)}, seed {cell(sampling.seed)}, size {cell(sampling.sample_size)} (
                  {cell(sampling.size_basis)}) from {cell(sampling.population_rows)} rows;{" "}
                  {cell(sampling.approved_samples)} approved samples; re-performance:{" "}
                  {sampling.reperformance
                    ? (sampling.reperformance as Row).identical
                      ? "identical"
                      : "differs"
                    : "not performed"}
                  .
                </p>
              ) : (
                <p className="text-sm text-slate-600">No approved sample selection.</p>
              )}
            </Section>
            <Section id="results-heading" title="Test results">
              <Table
                caption="Test results per attribute"
                columns={[
                  ["attribute", "Attribute"],
                  ["tested", "Tested"],
                  ["passed", "Passed"],
                  ["failed", "Failed"],
                ]}
                data={rows(results.attributes)}
              />
            </Section>
            <Section id="observations-heading" title="Observations">
              <p className="text-sm">
                {Object.entries(bySeverity)
                  .map(([s, n]) => `${s}: ${n}`)
                  .join(" · ")}
              </p>
              <Table
                caption="Observations"
                columns={[
                  ["title", "Observation"],
                  ["severity", "Severity"],
                  ["status", "Status"],
                  ["due_date", "Due"],
                ]}
                data={rows(observations.items)}
              />
            </Section>
            <Section id="conclusion-heading" title="Conclusion">
              {draft ? (
                <ConclusionForm versionId={version.id} conclusion={report.conclusion} />
              ) : (
                <p className="whitespace-pre-wrap text-sm">{report.conclusion ?? "—"}</p>
              )}
            </Section>
          </article>
        ) : null}
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Test report" />;
}
