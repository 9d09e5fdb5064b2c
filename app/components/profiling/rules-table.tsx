import { Form } from "@remix-run/react";
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
  rules,
  editing,
}: {
  versionId: string;
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
          { label: "Type" },
          { label: "Severity" },
          { label: "Passes when" },
          { label: "Tester" },
          { label: "Owner" },
          { label: "Status" },
        ]}
        bodyClassName="divide-y divide-slate-100 align-top"
      >
        {rules.map((rule) => (
          <tr key={rule.id} data-rule={rule.name}>
            <th scope="row" className="px-3 py-2 text-left font-medium">
              {rule.name}
              {rule.proposal ? (
                <p className="text-xs font-normal text-slate-500">
                  Proposed ({rule.proposal.provider}
                  {rule.proposal.confidence === null ? "" : `, confidence ${rule.proposal.confidence}`})
                </p>
              ) : null}
              {rule.proposal?.rationale ? (
                <p className="line-clamp-2 max-w-48 text-xs font-normal text-slate-500" title={rule.proposal.rationale}>
                  {rule.proposal.rationale}
                </p>
              ) : null}
              {editing.tester ? (
                <Form method="post" preventScrollReset className="mt-1">
                  <input type="hidden" name="intent" value="delete_rule" />
                  <input type="hidden" name="version_id" value={versionId} />
                  <input type="hidden" name="item_id" value={rule.id} />
                  <button
                    type="submit"
                    className="rounded text-xs font-normal text-red-700 underline focus-ring"
                    aria-label={`Remove ${rule.name}`}
                  >
                    Remove
                  </button>
                </Form>
              ) : null}
            </th>
            <td className="px-3 py-2">{rule.attribute}</td>
            <td className="px-3 py-2 capitalize">{rule.ruleType}</td>
            <td className="px-3 py-2 capitalize">{rule.severity}</td>
            <td className="px-3 py-2">{rule.definition}</td>
            <td className="px-3 py-2">
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
            </td>
            <td className="px-3 py-2">
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
