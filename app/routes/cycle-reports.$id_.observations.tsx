import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { IntentForm } from "~/components/versions/intent-form";
import { WorkspaceErrorBoundary } from "~/components/versions/workspace-error";
import { FormField } from "~/components/form-field";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext, useFormCheck } from "~/lib/forms";
import { createObservationForm, editObservationForm, moveObservationForm } from "~/lib/observation-forms";
import { categories, severities } from "~/lib/observations";
import { loadObservationsPage, runObservationAction, type ObservationDetail } from "~/lib/observations.server";
import { cycleReportIdOf, workspacePath } from "~/lib/route-params";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Observations · ${data.cycleReport.title} · RegTest` : "RegTest" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const page = await loadObservationsPage(supabase, user, id, new URL(request.url).searchParams);
  if (!page) throw new Response("Not found", { status: 404, headers });
  return json(page, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const result = await runObservationAction(supabase, await postedForm(request));
  if (result.ok) throw redirect(workspacePath(id, "observations", result.search), { headers });
  // A form's own mistakes go back beside its fields; the banner is for the database's refusals.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

const severityClass: Record<string, string> = {
  critical: "bg-red-100 text-red-900",
  high: "bg-orange-100 text-orange-900",
  medium: "bg-amber-100 text-amber-900",
  low: "bg-slate-100 text-slate-800",
};

function Field({
  observation,
  field,
  label,
  value,
  editable,
  multiline = true,
}: {
  observation: ObservationDetail;
  field: string;
  label: string;
  value: string | null;
  editable: boolean;
  multiline?: boolean;
}) {
  const formId = `edit-${field}`;
  const { onSubmit, field: fieldOf } = useFormCheck(formId, editObservationForm);
  if (!editable)
    return (
      <div>
        <dt className="text-sm font-medium text-slate-700">{label}</dt>
        <dd className="whitespace-pre-wrap text-sm">{value || "—"}</dd>
      </div>
    );
  return (
    <IntentForm
      intent="edit"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ observation_id: observation.id, field }}
      label={`Edit ${label.toLowerCase()}`}
    >
      <FormField {...fieldOf("value")} label={label}>
        {(control) =>
          multiline ? (
            <textarea {...control} defaultValue={value ?? ""} rows={2} className="input mt-1" />
          ) : (
            <input {...control} defaultValue={value ?? ""} className="input mt-1" />
          )
        }
      </FormField>
      <button type="submit" className="btn-secondary mt-1 text-xs">
        Save {label.toLowerCase()}
      </button>
    </IntentForm>
  );
}

/** The remediation owner, chosen from the people who may remediate. */
function RemediationOwnerForm({
  observation,
  owners,
}: {
  observation: ObservationDetail;
  owners: { id: string; name: string }[];
}) {
  const formId = "edit-remediation_owner_id";
  const { onSubmit, field } = useFormCheck(formId, editObservationForm);
  return (
    <IntentForm
      intent="edit"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ observation_id: observation.id, field: "remediation_owner_id" }}
      label="Assign the remediation owner"
    >
      <FormField {...field("value")} label="Remediation owner">
        {(control) => (
          <select {...control} defaultValue={observation.remediationOwnerId ?? ""} className="input mt-1">
            <option value="">Nobody yet</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <button type="submit" className="btn-secondary mt-1 text-xs">
        Save remediation owner
      </button>
    </IntentForm>
  );
}

/** One move of the lifecycle; its comment is said beside the field when missing. */
function MoveForm({ observationId, move }: { observationId: string; move: ObservationDetail["moves"][number] }) {
  const formId = `move-${move.to}`;
  const { onSubmit, field } = useFormCheck(formId, moveObservationForm);
  return (
    <IntentForm
      intent="move"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ observation_id: observationId, to_status: move.to }}
      label={move.label}
      className="flex flex-wrap items-end gap-2"
    >
      <FormField {...field("comment")} label={`Comment for “${move.label}”`}>
        {(control) => <input {...control} required className="input mt-1" />}
      </FormField>
      <button type="submit" className="btn-primary">
        {move.label}
      </button>
      {move.requires ? (
        <span className="text-xs text-slate-600">Needs the {move.requires.replace("_", " ")} first.</span>
      ) : null}
    </IntentForm>
  );
}

/** A new observation: its title, severity and category. */
function CreateForm({ cycleReportId }: { cycleReportId: number }) {
  const formId = "new-observation";
  const { onSubmit, field } = useFormCheck(formId, createObservationForm);
  return (
    <IntentForm
      intent="create"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ cycle_report_id: cycleReportId }}
      label="New observation"
      className="flex flex-wrap items-end gap-2"
    >
      <FormField {...field("title")} label="Title">
        {(control) => <input {...control} required className="input mt-1" />}
      </FormField>
      <FormField {...field("severity")} label="Severity">
        {(control) => (
          <select {...control} defaultValue="medium" className="input mt-1">
            {severities.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </FormField>
      <FormField {...field("category")} label="Category">
        {(control) => (
          <select {...control} defaultValue="accuracy" className="input mt-1">
            {categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
      </FormField>
      <button type="submit" className="btn-primary">
        Record observation
      </button>
    </IntentForm>
  );
}

function Detail({
  observation,
  works,
  owns,
  me,
  owners,
}: {
  observation: ObservationDetail;
  works: boolean;
  owns: boolean;
  me: string;
  owners: { id: string; name: string }[];
}) {
  const open = observation.status !== "closed";
  const tester = works && open;
  const remediates = owns || observation.remediationOwnerId === me;
  return (
    <article
      aria-labelledby="observation-heading"
      className="space-y-4 rounded-md border border-slate-200 bg-white p-4"
    >
      <header className="flex flex-wrap items-center gap-3">
        <h2 id="observation-heading" className="text-lg font-semibold">
          {observation.title}
        </h2>
        <span className={`rounded px-2 py-0.5 text-xs ${severityClass[observation.severity] ?? ""}`}>
          {observation.severity}
        </span>
        <span className="rounded bg-blue-50 px-2 py-0.5 text-xs text-blue-900" data-testid="observation-status">
          {observation.status.replace("_", " ")}
        </span>
      </header>
      <dl className="grid gap-3 md:grid-cols-2">
        <Field
          observation={observation}
          field="condition"
          label="Condition"
          value={observation.condition}
          editable={tester}
        />
        <Field
          observation={observation}
          field="criteria"
          label="Criteria"
          value={observation.criteria}
          editable={tester}
        />
        <Field observation={observation} field="cause" label="Cause" value={observation.cause} editable={tester} />
        <Field
          observation={observation}
          field="consequence"
          label="Consequence"
          value={observation.consequence}
          editable={tester}
        />
        <Field
          observation={observation}
          field="root_cause"
          label="Root cause"
          value={observation.rootCause}
          editable={tester}
        />
        <Field
          observation={observation}
          field="owner_response"
          label="Owner response"
          value={observation.ownerResponse}
          editable={owns && open}
        />
        <Field
          observation={observation}
          field="remediation_plan"
          label="Remediation plan"
          value={observation.remediationPlan}
          editable={remediates && open}
        />
        <Field
          observation={observation}
          field="validation_evidence"
          label="Validation evidence"
          value={observation.validationEvidence}
          editable={tester}
        />
        <Field
          observation={observation}
          field="due_date"
          label="Due date"
          value={observation.dueDate}
          editable={(works || owns) && open}
          multiline={false}
        />
        {(works || owns) && open ? (
          <RemediationOwnerForm observation={observation} owners={owners} />
        ) : (
          <div>
            <dt className="text-sm font-medium text-slate-700">Remediation owner</dt>
            <dd className="text-sm">{observation.remediationOwner ?? "—"}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="evidence-heading">
        <h3 id="evidence-heading" className="font-medium">
          Evidence
        </h3>
        {observation.evidence.length ? (
          <ul className="list-disc pl-5 text-sm">
            {observation.evidence.map((e) => (
              <li key={e.id}>
                <span className="text-xs uppercase text-slate-500">{e.kind.replace("_", " ")}</span> {e.label}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">No linked evidence.</p>
        )}
      </section>

      {observation.moves.length ? (
        <section aria-labelledby="moves-heading" className="space-y-2">
          <h3 id="moves-heading" className="font-medium">
            Move it on
          </h3>
          {observation.moves.map((m) => (
            <MoveForm key={m.to} observationId={observation.id} move={m} />
          ))}
        </section>
      ) : null}
      {works && observation.status === "draft" ? (
        <IntentForm intent="remove" hidden={{ observation_id: observation.id }} label="Remove the draft">
          <button type="submit" className="btn-secondary text-xs">
            Remove this draft
          </button>
        </IntentForm>
      ) : null}

      <section aria-labelledby="history-heading">
        <h3 id="history-heading" className="font-medium">
          History
        </h3>
        <ol className="space-y-1 text-sm">
          {observation.history.map((h) => (
            <li key={h.id}>
              <span className="font-medium">{h.to.replace("_", " ")}</span> by {h.by} ({h.actor}), {h.at}: {h.comment}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

export default function ObservationsPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { cycleReport, phase, works, observations, selected } = page;
  const recording = works && phase?.status === "in_progress";
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData?.formErrors ? null : actionData?.refusal;
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors}>
      <section className="space-y-8">
        <div>
          {page.remediatesOnly ? (
            <p className="text-sm text-slate-700">{cycleReport.title}</p>
          ) : (
            <Link
              to={`/cycle-reports/${cycleReport.id}`}
              className="rounded text-sm text-blue-700 underline focus-ring"
            >
              {cycleReport.title}
            </Link>
          )}
          <h1 className="mt-3 text-2xl font-semibold tracking-tight">Observations</h1>
          <p className="text-sm text-slate-600">{cycleReport.regulation}</p>
        </div>
        {refusal ? (
          <div className="sticky top-2 z-10">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}
        {recording ? (
          <div className="flex flex-wrap items-end gap-4">
            <IntentForm intent="propose" hidden={{ cycle_report_id: cycleReport.id }} label="Propose observations">
              <button type="submit" className="btn-secondary">
                Propose from failed tests and anomalies
              </button>
            </IntentForm>
            <CreateForm cycleReportId={cycleReport.id} />
          </div>
        ) : page.remediatesOnly ? (
          <p className="text-sm text-slate-600" data-testid="remediation-owner-note">
            You remediate these observations: write the remediation plan, start the remediation and ask for validation
            when it is done. The rest of the cycle report is the testers&apos; and the report owner&apos;s.
          </p>
        ) : phase?.status !== "in_progress" ? (
          <p className="text-sm text-slate-600">
            The observation phase is {phase?.status.replace("_", " ") ?? "missing"}; observations are recorded while it
            is in progress and move on through their lifecycle until the test report is approved.
          </p>
        ) : null}
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
          <section aria-labelledby="list-heading">
            <h2 id="list-heading" className="text-lg font-semibold">
              {observations.length} observation{observations.length === 1 ? "" : "s"}
            </h2>
            <ul className="mt-2 space-y-2">
              {observations.map((o) => (
                <li key={o.id}>
                  <Link
                    to={`?observation=${o.id}`}
                    preventScrollReset
                    aria-current={selected?.id === o.id ? "page" : undefined}
                    className="block rounded-md border border-slate-200 bg-white px-3 py-2 text-sm focus-ring aria-[current=page]:border-blue-600"
                  >
                    <span className="font-medium">{o.title}</span>
                    <span className="ml-2 text-xs text-slate-600">
                      {o.severity} · {o.status.replace("_", " ")}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          {selected ? (
            <Detail observation={selected} works={works} owns={page.owns} me={page.me} owners={page.owners} />
          ) : (
            <p className="text-sm text-slate-600">
              Choose an observation to see its evidence, history and the moves you may make.
            </p>
          )}
        </div>
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <WorkspaceErrorBoundary phase="Observations" />;
}
