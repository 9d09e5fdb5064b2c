import { BulkDecisionBar } from "~/components/versions/bulk-decision-bar";
import { DecisionCell } from "~/components/versions/decision-cell";
import { ItemStatusBadge } from "~/components/versions/status-badge";
import { lineageOf } from "~/lib/sampling";
import type { Sample } from "~/lib/sampling.server";

const valuesText = (data: Record<string, unknown>) =>
  Object.entries(data)
    .map(([k, v]) => `${k}: ${v === null ? "—" : String(v)}`)
    .join(" · ");

/** The version's samples with their values, lineage and both decisions, inline and in bulk. */
export function SamplesTable({
  versionId,
  samples,
  editing,
}: {
  versionId: string;
  samples: Sample[];
  editing: { tester: boolean; owner: boolean };
}) {
  if (!samples.length) return <p className="text-sm text-slate-600">This version has no samples yet.</p>;
  const side = editing.tester ? "tester" : editing.owner ? "report_owner" : null;
  const bulkId = "bulk-samples";
  return (
    <div className="space-y-2">
      {side ? <BulkDecisionBar id={bulkId} versionId={versionId} item="sample" side={side} label="samples" /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-left text-sm" aria-label="Samples">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="px-3 py-2 font-medium">#</th>
              <th className="px-3 py-2 font-medium">Key</th>
              <th className="px-3 py-2 font-medium">Values</th>
              <th className="px-3 py-2 font-medium">Stratum</th>
              <th className="px-3 py-2 font-medium">Lineage</th>
              <th className="px-3 py-2 font-medium">Reason</th>
              <th className="px-3 py-2 font-medium">Status</th>
              <th className="px-3 py-2 font-medium">Tester</th>
              <th className="px-3 py-2 font-medium">Owner</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {samples.map((s) => (
              <tr key={s.id} data-sample={s.key} data-source={s.source} className="align-top">
                <td className="px-3 py-2 tabular-nums text-slate-500">{s.order ?? ""}</td>
                <td className="px-3 py-2 font-medium">{s.key}</td>
                <td className="max-w-xs px-3 py-2 text-xs text-slate-700">{valuesText(s.data)}</td>
                <td className="px-3 py-2">{s.stratum ?? ""}</td>
                <td className="px-3 py-2 text-xs">
                  {lineageOf(s)}
                  {s.replacedByKey ? (
                    <span className="block text-slate-600">
                      replaced by {s.replacedByKey}: {s.replacementReason}
                    </span>
                  ) : null}
                </td>
                <td className="max-w-xs px-3 py-2 text-xs text-slate-600">{s.reason}</td>
                <td className="px-3 py-2">
                  <ItemStatusBadge status={s.status} />
                </td>
                <td className="px-3 py-2">
                  <DecisionCell
                    versionId={versionId}
                    item="sample"
                    itemId={s.id}
                    itemName={`sample ${s.key}`}
                    side="tester"
                    decision={s.testerDecision}
                    notes={s.testerNotes}
                    by={s.tester.by}
                    dual
                    editable={editing.tester}
                    bulkForm={side === "tester" ? bulkId : undefined}
                  />
                </td>
                <td className="px-3 py-2">
                  <DecisionCell
                    versionId={versionId}
                    item="sample"
                    itemId={s.id}
                    itemName={`sample ${s.key}`}
                    side="report_owner"
                    decision={s.ownerDecision}
                    notes={s.ownerNotes}
                    by={s.owner.by}
                    dual
                    editable={editing.owner}
                    bulkForm={side === "report_owner" ? bulkId : undefined}
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
