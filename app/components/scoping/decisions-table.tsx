import { BulkDecisionBar } from "~/components/versions/bulk-decision-bar";
import { DecisionCell } from "~/components/versions/decision-cell";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { scopeForm, scopeFormId, type TestingApproach } from "~/lib/scoping";
import type { ScopingDecisionRow } from "~/lib/scoping.server";

export const approachWords: Record<TestingApproach, string> = {
  sample_testing: "Sample testing",
  data_quality_rules: "Data-quality rules",
  both: "Both",
};
const approachOf = (value: string | null) => (value ? (approachWords[value as TestingApproach] ?? value) : "—");

function Tag({ children, title, className }: { children: string; title: string; className: string }) {
  return (
    <span title={title} className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ring-1 ring-inset ${className}`}>
      {children}
    </span>
  );
}

/** What planning says of the attribute: CDE, primary key, regulatory, mandatory, and whether planning changed it. */
export function AttributeTags({ d }: { d: ScopingDecisionRow }) {
  return (
    <span className="flex flex-wrap gap-1">
      {d.isCde ? (
        <Tag title="Critical data element" className="bg-purple-50 text-purple-800 ring-purple-300">
          CDE
        </Tag>
      ) : null}
      {d.isPrimaryKey ? (
        <Tag title="Primary key" className="bg-blue-50 text-blue-800 ring-blue-300">
          PK
        </Tag>
      ) : null}
      {d.regulatory ? (
        <Tag title="A PDE mapping carries the regulatory flag" className="bg-amber-50 text-amber-900 ring-amber-300">
          Regulatory
        </Tag>
      ) : null}
      {d.isMandatory ? (
        <Tag title="Mandatory" className="bg-slate-100 text-slate-700 ring-slate-300">
          Mandatory
        </Tag>
      ) : null}
      {d.attributeChange === "changed" ? (
        <Tag title="Planning changed this attribute: decide it afresh" className="bg-red-50 text-red-800 ring-red-300">
          Changed in planning
        </Tag>
      ) : null}
      {d.attributeChange === "added" ? (
        <Tag title="Planning added this attribute" className="bg-green-50 text-green-800 ring-green-300">
          New
        </Tag>
      ) : null}
    </span>
  );
}

function ScopeWords({ d }: { d: ScopingDecisionRow }) {
  return (
    <div className="space-y-1 text-xs">
      <p className="text-sm font-medium">{d.inScope ? "In scope" : "Out of scope"}</p>
      <p>
        Risk {d.riskRating ?? "—"} · {approachOf(d.testingApproach)}
      </p>
      {d.rationale ? <p className="max-w-xs text-slate-600">{d.rationale}</p> : null}
    </div>
  );
}

/**
 * A decision's scope, in its row. One schema (scopeForm) checks it in the browser and on the server, each error
 * beside its field (the labels are for screen readers: the row names the attribute).
 */
function ScopeForm({ d, versionId }: { d: ScopingDecisionRow; versionId: string }) {
  const busy = useSubmitting("save_scope", d.id);
  const formId = scopeFormId(d.id);
  const { onSubmit, field } = useFormCheck(formId, scopeForm);
  const hidden = (text: string) => <span className="sr-only">{text}</span>;
  return (
    // Keyed by what is stored, so the fields show it again after each save.
    <IntentForm
      key={`${d.inScope}:${d.riskRating}:${d.testingApproach}:${d.rationale}`}
      intent="save_scope"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId, item_id: d.id }}
      label={`Scope of ${d.name}`}
      className="min-w-56 space-y-1 text-xs"
    >
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" name="in_scope" defaultChecked={d.inScope} className="h-4 w-4" />
        In scope
      </label>
      <div className="flex gap-1">
        <FormField {...field("risk_rating")} label={hidden(`Risk of ${d.name}`)}>
          {(control) => (
            <select {...control} defaultValue={d.riskRating ?? ""} className="input mt-0 py-0.5 text-xs">
              <option value="">Risk…</option>
              <option value="low">Low risk</option>
              <option value="medium">Medium risk</option>
              <option value="high">High risk</option>
            </select>
          )}
        </FormField>
        <FormField {...field("testing_approach")} label={hidden(`Testing approach of ${d.name}`)}>
          {(control) => (
            <select {...control} defaultValue={d.testingApproach ?? ""} className="input mt-0 py-0.5 text-xs">
              <option value="">Approach…</option>
              {Object.entries(approachWords).map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField {...field("rationale")} label={hidden(`Rationale for ${d.name}`)}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            defaultValue={d.rationale ?? ""}
            placeholder="Rationale (needed out of scope)"
            className="input mt-0 py-1 text-xs"
          />
        )}
      </FormField>
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={busy}>
        {busy ? "Saving…" : `Save scope`}
      </button>
    </IntentForm>
  );
}

function Recommendation({ d }: { d: ScopingDecisionRow }) {
  const r = d.recommendation;
  if (!r) return <span className="text-xs text-slate-500">None yet</span>;
  return (
    <div className="max-w-xs space-y-1 text-xs" data-recommendation={r.inScope ? "in" : "out"}>
      <p className="font-medium">
        {r.inScope ? "In scope" : "Out of scope"} · risk {r.riskRating ?? "—"}
        {r.inScope ? ` · ${approachOf(r.testingApproach)}` : ""}
      </p>
      {r.reason ? <p className="text-slate-600">{r.reason}</p> : null}
      <p className="text-slate-500">
        {r.provider ?? "unknown"}
        {r.confidence !== null ? `, confidence ${Math.round(r.confidence * 100)}%` : ""}
      </p>
    </div>
  );
}

/**
 * Every decision of the version (as filtered): the attribute with its badges and risk score, the recommendation
 * and its reason, the scope (editable by the tester in a draft), and both decisions inline, each side with its
 * bulk bar over the rows shown.
 */
export function DecisionsTable({
  decisions,
  versionId,
  editable,
  testerDecides,
  ownerDecides,
}: {
  decisions: ScopingDecisionRow[];
  versionId: string;
  editable: boolean;
  testerDecides: boolean;
  ownerDecides: boolean;
}) {
  const bulkSide = testerDecides ? "tester" : ownerDecides ? "report_owner" : null;
  return (
    <div className="space-y-3">
      {bulkSide ? (
        <BulkDecisionBar
          id={`bulk-${bulkSide}`}
          versionId={versionId}
          item="decision"
          side={bulkSide}
          label="decisions"
        />
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm" aria-label="Scoping decisions">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="px-3 py-2 font-medium">Attribute</th>
              <th className="px-3 py-2 font-medium">Risk score</th>
              <th className="px-3 py-2 font-medium">Recommendation</th>
              <th className="px-3 py-2 font-medium">Scope</th>
              <th className="px-3 py-2 font-medium">Tester</th>
              <th className="px-3 py-2 font-medium">Report owner</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {decisions.map((d) => (
              <tr key={d.id} data-attribute={d.name} data-scope={d.inScope ? "in" : "out"}>
                <td className="px-3 py-2">
                  <p className="font-medium">{d.name}</p>
                  <p className="text-xs text-slate-500">
                    {d.dataType} · {d.classification}
                  </p>
                  <AttributeTags d={d} />
                </td>
                <td className="px-3 py-2 tabular-nums">{d.riskScore}</td>
                <td className="px-3 py-2">
                  <Recommendation d={d} />
                </td>
                <td className="px-3 py-2">
                  {editable ? <ScopeForm d={d} versionId={versionId} /> : <ScopeWords d={d} />}
                </td>
                <td className="px-3 py-2">
                  <DecisionCell
                    versionId={versionId}
                    item="decision"
                    itemId={d.id}
                    itemName={d.name}
                    side="tester"
                    decision={d.testerDecision}
                    notes={d.testerNotes}
                    by={d.testerBy}
                    dual
                    editable={testerDecides}
                    bulkForm={testerDecides ? "bulk-tester" : undefined}
                  />
                </td>
                <td className="px-3 py-2">
                  <DecisionCell
                    versionId={versionId}
                    item="decision"
                    itemId={d.id}
                    itemName={d.name}
                    side="report_owner"
                    decision={d.ownerDecision}
                    notes={d.ownerNotes}
                    by={d.ownerBy}
                    dual
                    editable={ownerDecides}
                    bulkForm={ownerDecides ? "bulk-report_owner" : undefined}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
