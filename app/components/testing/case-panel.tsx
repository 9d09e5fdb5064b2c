import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { evidenceText, previewKind, resultLabel, testResults, type EvidenceRef } from "~/lib/testing";
import type { TestCaseView } from "~/lib/testing.server";

function EvidenceList({ evidence }: { evidence: EvidenceRef[] }) {
  if (!evidence.length) return <p className="text-sm text-slate-600">No evidence referenced yet.</p>;
  return (
    <ul className="space-y-2 text-sm" aria-label="Evidence files">
      {evidence.map((e, i) => {
        const kind = previewKind(e);
        return (
          <li key={i}>
            {e.url ? (
              <a href={e.url} target="_blank" rel="noreferrer" className="text-blue-700 underline focus-ring">
                {e.name}
              </a>
            ) : (
              <span className="font-medium">{e.name}</span>
            )}{" "}
            <span className="text-xs text-slate-500">{e.path ?? ""}</span>
            {kind === "image" ? (
              <img src={e.url} alt={`Preview of ${e.name}`} className="mt-1 max-h-48 rounded border" />
            ) : null}
            {kind === "pdf" ? (
              <object
                data={e.url}
                type="application/pdf"
                className="mt-1 h-64 w-full rounded border"
                aria-label={`Preview of ${e.name}`}
              >
                <a href={e.url}>{e.name}</a>
              </object>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** One test case: the sample's values, the evidence, the result form (preparer) and the sign-off (reviewer). */
export function CasePanel({
  versionId,
  testCase,
  sampleData,
  editable,
  signsOff,
  me,
  trace,
}: {
  versionId: string;
  testCase: TestCaseView;
  sampleData: Record<string, unknown>;
  editable: boolean;
  /** The viewer is the case's reviewer (phase setting) and the version a draft. */
  signsOff: boolean;
  me: string;
  trace: Record<string, unknown> | null;
}) {
  const saving = useSubmitting("save_result", testCase.id);
  const signing = useSubmitting("decide", testCase.id);
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
          {testCase.reviewed ? ` · reviewed by ${testCase.review.by} ${testCase.review.at ?? ""}` : " · not reviewed"}
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
      <div>
        <h4 className="text-sm font-semibold">Evidence</h4>
        <EvidenceList evidence={testCase.evidence} />
      </div>
      {editable ? (
        <IntentForm
          key={testCase.id}
          intent="save_result"
          hidden={{ version_id: versionId, item_id: testCase.id }}
          label="Record the result"
          className="space-y-3"
        >
          <fieldset>
            <legend className="text-sm font-medium">Result</legend>
            <div className="mt-1 flex flex-wrap gap-3">
              {testResults.map((r) => (
                <label key={r.value} className="flex items-center gap-1 text-sm">
                  <input
                    type="radio"
                    name="result"
                    value={r.value}
                    defaultChecked={testCase.result === r.value}
                    required
                  />
                  {r.label}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="block text-sm font-medium">
            Value in the source evidence
            <input name="source_value" defaultValue={testCase.sourceValue ?? ""} className="input" />
          </label>
          <label className="block text-sm font-medium">
            Expected value (where a rule derives it)
            <input name="expected_value" defaultValue={testCase.expectedValue ?? ""} className="input" />
          </label>
          <label className="block text-sm font-medium">
            Exception (required for a failure)
            <textarea name="exception_description" rows={2} defaultValue={testCase.exception ?? ""} className="input" />
          </label>
          <label className="block text-sm font-medium">
            Evidence files, one per line as “name | path or address”
            <textarea name="evidence" rows={2} defaultValue={evidenceText(testCase.evidence)} className="input" />
          </label>
          <label className="block text-sm font-medium">
            Tester notes
            <textarea name="test_notes" rows={2} defaultValue={testCase.notes ?? ""} className="input" />
          </label>
          <button type="submit" className="btn-primary" disabled={saving}>
            {saving ? "Saving…" : "Save result"}
          </button>
          {testCase.reviewed ? (
            <p className="text-xs text-slate-600">Saving a change clears the review: the test is reviewed again.</p>
          ) : null}
        </IntentForm>
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
      {canSignOff ? (
        <IntentForm
          intent="decide"
          hidden={{
            version_id: versionId,
            item: "test_case",
            item_id: testCase.id,
            side: "tester",
            decision: "approved",
          }}
          label="Sign off the test"
          className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3"
        >
          <label className="block grow text-sm font-medium">
            Review notes
            <input name="notes" className="input" />
          </label>
          <button type="submit" className="btn-secondary" disabled={signing}>
            {signing ? "Signing off…" : "Sign off as reviewer"}
          </button>
        </IntentForm>
      ) : null}
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
