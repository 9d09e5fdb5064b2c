import { Link } from "@remix-run/react";
import { ConfirmAction } from "~/components/confirm-action";
import type { ProfilingRule } from "~/lib/profiling.server";
import { BulkDecisionBar } from "~/components/versions/bulk-decision-bar";
import { DecisionCell } from "~/components/versions/decision-cell";
import { ItemStatusBadge } from "~/components/versions/status-badge";
import { DataTable } from "./data-table";

export interface RuleEditing {
  /** Tester decisions, adding and removing rules: an assigned tester on a draft. */
  tester: boolean;
  /** Owner decisions: the report owner on a version awaiting approval. */
  owner: boolean;
}

/** The form the rules' boxes choose items for (one decision on many rules). */
const bulkFormId = "bulk-rule-decisions";

/** The review table of a version's rules, each with its definition in words and both decisions. */
export function RulesTable({
  versionId,
  cycleReportId,
  rules,
  editing,
}: {
  versionId: string;
  cycleReportId: number;
  rules: ProfilingRule[];
  editing: RuleEditing;
}) {
  if (!rules.length) {
    return <p className="text-sm text-slate-600">This version has no rules yet.</p>;
  }
  const side = editing.tester ? "tester" : editing.owner ? "report_owner" : null;
  return (
    <div className="space-y-3">
      {side ? <BulkDecisionBar id={bulkFormId} versionId={versionId} item="rule" side={side} label="rules" /> : null}
      <DataTable
        label="Profiling rules"
        columns={[
          { label: "Rule" },
          { label: "Attribute" },
          { label: "Type · severity" },
          { label: "Passes when" },
          { label: "Decisions" },
          { label: "Status" },
        ]}
        bodyClassName="divide-y divide-slate-100 align-top"
      >
        {rules.map((rule) => (
          <tr key={rule.id} data-rule={rule.name}>
            <th scope="row" className="min-w-40 max-w-64 break-words px-3 py-2 text-left font-medium">
              {rule.name}
              {rule.proposal ? (
                <p className="text-xs font-normal text-slate-500">
                  Proposed ({rule.proposal.provider}
                  {rule.proposal.confidence === null ? "" : `, confidence ${rule.proposal.confidence}`})
                </p>
              ) : null}
              {rule.proposal?.rationale ? (
                <p className="line-clamp-2 text-xs font-normal text-slate-500" title={rule.proposal.rationale}>
                  {rule.proposal.rationale}
                </p>
              ) : null}
              {editing.tester ? (
                <div className="mt-1 flex flex-wrap items-start gap-3">
                  <Link
                    to={`/cycle-reports/${cycleReportId}/profiling?${new URLSearchParams({ version: versionId, edit_rule: rule.id })}#edit-rule`}
                    preventScrollReset
                    className="rounded text-xs font-normal text-blue-700 underline focus-ring"
                    aria-label={`Edit ${rule.name}`}
                  >
                    Edit
                  </Link>
                  <ConfirmAction
                    label="Remove"
                    question={`Remove the rule “${rule.name}” from the draft?`}
                    confirm={`Remove ${rule.name}`}
                    hidden={{ intent: "delete_rule", version_id: versionId, item_id: rule.id }}
                  />
                </div>
              ) : null}
            </th>
            <td className="max-w-40 break-words px-3 py-2">{rule.attribute}</td>
            <td className="px-3 py-2">
              <span className="capitalize">{rule.ruleType}</span>
              <span className="block text-xs capitalize text-slate-600">{rule.severity}</span>
            </td>
            <td className="min-w-48 max-w-80 break-words px-3 py-2">{rule.definition}</td>
            <td className="px-3 py-2">
              {/* Both sides' decisions in one cell (the versions kit's DecisionCell each), so wide tables keep
                  the owner's buttons and the status in view. */}
              <div className="space-y-2">
                <div>
                  <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Tester</p>
                  <DecisionCell
                    versionId={versionId}
                    item="rule"
                    itemId={rule.id}
                    itemName={rule.name}
                    side="tester"
                    decision={rule.testerDecision}
                    notes={rule.testerNotes}
                    dual
                    editable={editing.tester}
                    bulkForm={editing.tester ? bulkFormId : undefined}
                  />
                </div>
                <div>
                  <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Owner</p>
                  <DecisionCell
                    versionId={versionId}
                    item="rule"
                    itemId={rule.id}
                    itemName={rule.name}
                    side="report_owner"
                    decision={rule.ownerDecision}
                    notes={rule.ownerNotes}
                    dual
                    editable={editing.owner}
                    bulkForm={editing.owner ? bulkFormId : undefined}
                  />
                </div>
              </div>
            </td>
            <td className="px-3 py-2">
              <ItemStatusBadge status={rule.status} />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
