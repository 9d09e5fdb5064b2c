import { FieldError, FormField, fieldControl } from "~/components/form-field";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { caseUploadForm, linkFileForm, referenceForm, resultForm } from "~/lib/testing-forms";
import { decideForm } from "~/lib/version-forms";
import { evidencePath, evidencePdfPath, previewKind, resultLabel, testResults } from "~/lib/testing";
import type { EvidenceCandidate, EvidenceLink, RuleOnCase, TestCaseView } from "~/lib/testing.server";

const lastRunLabel = (run: RuleOnCase["lastRun"]): string =>
  ({
    failed: "this sample's row failed in the last run",
    passed: "this sample's row passed in the last run",
    unknown: `not known for this sample's row: ${run.failed ?? 0} rows failed in the last run, only some are kept`,
    error: "the last run ended in an error",
    not_run: "not run yet",
  })[run.outcome] + (run.at && run.outcome !== "not_run" ? ` (${run.at})` : "");

/**
 * The attribute's approved profiling rules, in words, with what the last run said of this sample's row. No kind of
 * rule derives a value, so the expected value is the tester's to enter; these say what the data should satisfy.
 */
function RulesOnCase({ rules }: { rules: RuleOnCase[] }) {
  return (
    <section aria-label="Approved profiling rules" className="space-y-1 text-sm">
      <h4 className="font-semibold">Approved profiling rules on this attribute</h4>
      {rules.length ? (
        <ul className="space-y-1">
          {rules.map((r) => (
            <li key={r.id} data-outcome={r.lastRun.outcome}>
              <span className="font-medium">{r.name}</span>{" "}
              <span className="text-xs text-slate-500">
                {r.type} · {r.severity}
              </span>
              : {r.definition}
              <span className={`block text-xs ${r.lastRun.outcome === "failed" ? "text-red-800" : "text-slate-600"}`}>
                {lastRunLabel(r.lastRun)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-600">No approved profiling rule on this attribute.</p>
      )}
      <p className="text-xs text-slate-600">
        No rule derives an expected value: enter it where the test calls for one (what the value should be).
      </p>
    </section>
  );
}

const kindLabel: Record<EvidenceLink["kind"], string> = {
  rfi_file: "request for information",
  upload: "uploaded here",
  reference: "kept elsewhere",
};

/** The case's evidence: each link downloadable (checked against its checksum), images and PDFs previewed. */
function EvidenceList({
  cycleReportId,
  versionId,
  caseId,
  evidence,
  editable,
}: {
  cycleReportId: number;
  versionId: string;
  caseId: string;
  evidence: EvidenceLink[];
  editable: boolean;
}) {
  if (!evidence.length) return <p className="text-sm text-slate-600">No evidence linked yet.</p>;
  return (
    <ul className="space-y-2 text-sm" aria-label="Evidence files">
      {evidence.map((e) => {
        const preview = previewKind(e.contentType);
        return (
          <li key={e.id} className="space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              {e.kind === "reference" ? (
                <span className="font-medium">{e.name}</span>
              ) : (
                <a
                  href={evidencePath(cycleReportId, e.id)}
                  className="font-medium text-blue-700 underline focus-ring"
                  aria-label={`Download ${e.name}`}
                >
                  {e.name}
                </a>
              )}
              <span className="text-xs text-slate-500">
                {kindLabel[e.kind]}
                {e.kind === "reference" ? `: ${e.location ?? ""}` : ""}
                {e.linked.by ? ` · linked by ${e.linked.by}` : ""}
              </span>
              {editable ? (
                <IntentForm
                  intent="unlink_evidence"
                  hidden={{ version_id: versionId, item_id: caseId, evidence_id: e.id }}
                  label={`Remove ${e.name}`}
                  className="inline"
                >
                  <button type="submit" className="text-xs text-red-800 underline focus-ring">
                    Remove
                  </button>
                </IntentForm>
              ) : null}
            </div>
            {preview === "image" ? (
              <img
                src={evidencePath(cycleReportId, e.id, true)}
                alt={`Preview of ${e.name}`}
                className="max-h-48 rounded border"
              />
            ) : preview === "pdf" ? (
              <iframe
                src={evidencePdfPath(cycleReportId, e.id)}
                title={`Preview of ${e.name}`}
                className="h-80 w-full rounded border"
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A file of a request for information asked for this sample and attribute, linked to the case. */
function LinkFileForm({ hidden, candidates }: { hidden: Record<string, string>; candidates: EvidenceCandidate[] }) {
  const { onSubmit, field } = useFormCheck(`rfi-file-${hidden.item_id}`, linkFileForm);
  return (
    <IntentForm
      intent="link_rfi_file"
      formId={`rfi-file-${hidden.item_id}`}
      onSubmit={onSubmit}
      hidden={hidden}
      label="Link a file from the requests for information"
      className="flex flex-wrap items-end gap-2"
    >
      <FormField {...field("request_file_id")} label="File from a request for information" className="grow">
        {(control) => (
          <select {...control} className="input" required>
            {candidates.map((c) => (
              <option key={c.fileId} value={c.fileId}>
                {c.name} ({c.request})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <button type="submit" className="btn-secondary">
        Link file
      </button>
    </IntentForm>
  );
}

/** A file uploaded on the case; none chosen, or one over 25 MiB, is said beside the field before it is sent. */
function UploadForm({ hidden }: { hidden: Record<string, string> }) {
  const { onSubmit, field } = useFormCheck(`upload-${hidden.item_id}`, caseUploadForm);
  return (
    <IntentForm
      intent="upload_evidence"
      formId={`upload-${hidden.item_id}`}
      onSubmit={onSubmit}
      hidden={hidden}
      encType="multipart/form-data"
      label="Upload evidence"
      className="flex flex-wrap items-end gap-2"
    >
      <FormField
        {...field("file")}
        label="Upload a file (CSV, PDF, text, JSON, PNG, JPEG, Excel, Word; 25 MiB)"
        className="grow"
      >
        {(control) => <input {...control} type="file" className="input" required />}
      </FormField>
      <button type="submit" className="btn-secondary">
        Upload
      </button>
    </IntentForm>
  );
}

/** A document kept elsewhere: its name and where it is kept, each said beside its field when missing. */
function ReferenceForm({ hidden }: { hidden: Record<string, string> }) {
  const { onSubmit, field } = useFormCheck(`reference-${hidden.item_id}`, referenceForm);
  return (
    <IntentForm
      intent="link_reference"
      formId={`reference-${hidden.item_id}`}
      onSubmit={onSubmit}
      hidden={hidden}
      label="Reference a document kept elsewhere"
      className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
    >
      <FormField {...field("name")} label="Document">
        {(control) => <input {...control} className="input" required />}
      </FormField>
      <FormField {...field("location")} label="Where it is kept">
        {(control) => <input {...control} className="input" required />}
      </FormField>
      <button type="submit" className="btn-secondary">
        Add reference
      </button>
    </IntentForm>
  );
}

/** Linking evidence while the version is a draft: an RFI file asked for this case, an upload, or a reference. */
function EvidenceForms({
  versionId,
  caseId,
  candidates,
}: {
  versionId: string;
  caseId: string;
  candidates: EvidenceCandidate[];
}) {
  const hidden = { version_id: versionId, item_id: caseId };
  return (
    <div className="space-y-3 border-t border-slate-100 pt-3">
      {candidates.length ? (
        <LinkFileForm hidden={hidden} candidates={candidates} />
      ) : (
        <p className="text-xs text-slate-600">
          No file of a request for information answers this sample and attribute yet.
        </p>
      )}
      <UploadForm hidden={hidden} />
      <ReferenceForm hidden={hidden} />
    </div>
  );
}

/** The preparer's result: a failure without its exception is said beside the exception before anything is sent. */
function ResultForm({ versionId, testCase }: { versionId: string; testCase: TestCaseView }) {
  const saving = useSubmitting("save_result", testCase.id);
  const formId = `result-${testCase.id}`;
  const { errors, onSubmit, field } = useFormCheck(formId, resultForm);
  const resultControl = fieldControl(formId, "result", errors.result);
  return (
    <IntentForm
      intent="save_result"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId, item_id: testCase.id }}
      label="Record the result"
      className="space-y-3"
    >
      <fieldset aria-describedby={resultControl["aria-describedby"]}>
        <legend className="text-sm font-medium">Result</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {testResults.map((r, i) => (
            <label key={r.value} className="flex items-center gap-1 text-sm">
              <input
                type="radio"
                name="result"
                value={r.value}
                // The first radio takes the field's id, so a missing result focuses the group.
                id={i === 0 ? resultControl.id : undefined}
                aria-invalid={resultControl["aria-invalid"]}
                aria-describedby={resultControl["aria-describedby"]}
                defaultChecked={testCase.result === r.value}
                required
              />
              {r.label}
            </label>
          ))}
        </div>
        <FieldError formId={formId} name="result" error={errors.result} />
      </fieldset>
      <FormField {...field("source_value")} label="Value in the source evidence">
        {(control) => <input {...control} defaultValue={testCase.sourceValue ?? ""} className="input" />}
      </FormField>
      <FormField {...field("expected_value")} label="Expected value (entered by the tester)">
        {(control) => <input {...control} defaultValue={testCase.expectedValue ?? ""} className="input" />}
      </FormField>
      <FormField {...field("exception_description")} label="Exception (required for a failure)">
        {(control) => <textarea {...control} rows={2} defaultValue={testCase.exception ?? ""} className="input" />}
      </FormField>
      <FormField {...field("test_notes")} label="Tester notes">
        {(control) => <textarea {...control} rows={2} defaultValue={testCase.notes ?? ""} className="input" />}
      </FormField>
      <button type="submit" className="btn-primary" disabled={saving}>
        {saving ? "Saving…" : "Save result"}
      </button>
      {testCase.reviewed ? (
        <p className="text-xs text-slate-600">Saving a change clears the review: the test is reviewed again.</p>
      ) : null}
    </IntentForm>
  );
}

/** The reviewer's sign-off of one case, with review notes. */
function SignOffForm({ versionId, caseId }: { versionId: string; caseId: string }) {
  const signing = useSubmitting("decide", caseId);
  const formId = `sign-off-${caseId}`;
  const { onSubmit, field } = useFormCheck(formId, decideForm);
  return (
    <IntentForm
      intent="decide"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId, item: "test_case", item_id: caseId, side: "tester", decision: "approved" }}
      label="Sign off the test"
      className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3"
    >
      <FormField {...field("notes")} label="Review notes" className="grow">
        {(control) => <input {...control} className="input" />}
      </FormField>
      <button type="submit" className="btn-secondary" disabled={signing}>
        {signing ? "Signing off…" : "Sign off as reviewer"}
      </button>
    </IntentForm>
  );
}

/** One test case: the sample's values, the evidence, the result form (preparer) and the sign-off (reviewer). */
export function CasePanel({
  versionId,
  testCase,
  sampleData,
  editable,
  signsOff,
  cycleReportId,
  evidence,
  candidates,
  me,
  trace,
  rules,
}: {
  versionId: string;
  testCase: TestCaseView;
  sampleData: Record<string, unknown>;
  editable: boolean;
  /** The viewer is the case's reviewer (phase setting) and the version a draft. */
  signsOff: boolean;
  cycleReportId: number;
  evidence: EvidenceLink[];
  candidates: EvidenceCandidate[];
  me: string;
  trace: Record<string, unknown> | null;
  rules: RuleOnCase[];
}) {
  const canSignOff = signsOff && !!testCase.result && !testCase.reviewed && testCase.preparedById !== me;
  return (
    <aside
      aria-label={`Test case ${testCase.sampleKey} · ${testCase.attribute}`}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div>
        <h3 className="text-base font-semibold">
          {testCase.sampleKey} · {testCase.attribute}
        </h3>
        <p className="text-sm text-slate-600">
          {resultLabel(testCase.result)}
          {testCase.prepared.by ? ` · prepared by ${testCase.prepared.by} ${testCase.prepared.at ?? ""}` : ""}
          {testCase.reviewed
            ? ` · reviewed by ${testCase.review.by} ${testCase.review.at ?? ""}${testCase.reviewCarried ? " (carried from the previous version)" : ""}`
            : " · not reviewed"}
        </p>
        {testCase.voided.reason ? (
          <p className="mt-1 text-sm text-amber-900" role="note">
            Review voided: {testCase.voided.reason} ({testCase.voided.by}, {testCase.voided.at})
          </p>
        ) : null}
      </div>
      <div>
        <h4 className="text-sm font-semibold">The sample&apos;s values</h4>
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 text-sm" aria-label="Sample values">
          {Object.entries(sampleData).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-600">{k}</dt>
              <dd>{v === null ? "—" : String(v)}</dd>
            </div>
          ))}
          <dt className="font-medium text-slate-600">Reported value</dt>
          <dd className="font-medium">{testCase.reportedValue ?? "—"}</dd>
        </dl>
      </div>
      <RulesOnCase rules={rules} />
      <div>
        <h4 className="text-sm font-semibold">Evidence</h4>
        <EvidenceList
          cycleReportId={cycleReportId}
          versionId={versionId}
          caseId={testCase.id}
          evidence={evidence}
          editable={editable}
        />
        {editable ? <EvidenceForms versionId={versionId} caseId={testCase.id} candidates={candidates} /> : null}
      </div>
      {editable ? (
        <ResultForm key={testCase.id} versionId={versionId} testCase={testCase} />
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
          <dt className="text-slate-600">Source value</dt>
          <dd>{testCase.sourceValue ?? "—"}</dd>
          <dt className="text-slate-600">Expected value</dt>
          <dd>{testCase.expectedValue ?? "—"}</dd>
          <dt className="text-slate-600">Exception</dt>
          <dd>{testCase.exception ?? "—"}</dd>
          <dt className="text-slate-600">Notes</dt>
          <dd>{testCase.notes ?? "—"}</dd>
        </dl>
      )}
      {canSignOff ? <SignOffForm key={testCase.id} versionId={versionId} caseId={testCase.id} /> : null}
      {trace ? (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">Traceability</summary>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 text-xs" aria-label="Traceability">
            <dt className="text-slate-600">Sample selection</dt>
            <dd>version {String(trace.sample_selection_version_number)} (approved)</dd>
            <dt className="text-slate-600">Planning</dt>
            <dd>version {String(trace.planning_version_number)} (approved)</dd>
            <dt className="text-slate-600">Scoping</dt>
            <dd>
              {trace.scoping_version_number ? `version ${String(trace.scoping_version_number)} (approved)` : "skipped"}
            </dd>
            <dt className="text-slate-600">Data profiling</dt>
            <dd>
              {trace.profiling_version_number
                ? `version ${String(trace.profiling_version_number)} (approved)`
                : "skipped"}
            </dd>
          </dl>
        </details>
      ) : null}
    </aside>
  );
}
