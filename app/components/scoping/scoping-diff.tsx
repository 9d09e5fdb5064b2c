import type { ScopingChange, ScopingDecisionRow } from "~/lib/scoping.server";
import type { VersionView } from "~/lib/versions.server";
import { approachWords } from "./decisions-table";

function Said({ d }: { d: ScopingDecisionRow | null }) {
  if (!d) return <span className="text-slate-500">—</span>;
  return (
    <span className="text-xs">
      {d.inScope ? "In scope" : "Out of scope"} · risk {d.riskRating ?? "—"} ·{" "}
      {d.testingApproach ? (approachWords[d.testingApproach as keyof typeof approachWords] ?? d.testingApproach) : "—"}{" "}
      · {d.status}
      {d.rationale ? <span className="block text-slate-600">{d.rationale}</span> : null}
    </span>
  );
}

/** What changed between two versions, decision by decision (matched by attribute name). */
export function ScopingDiff({
  before,
  after,
  changes,
}: {
  before: VersionView;
  after: VersionView;
  changes: ScopingChange[];
}) {
  return (
    <div className="overflow-x-auto">
      <table
        className="min-w-full text-left text-sm"
        aria-label={`Changes from version ${before.number} to version ${after.number}`}
      >
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">Attribute</th>
            <th className="px-3 py-2 font-medium">Change</th>
            <th className="px-3 py-2 font-medium">Version {before.number}</th>
            <th className="px-3 py-2 font-medium">Version {after.number}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {changes.length ? (
            changes.map((c) => (
              <tr key={c.name} data-change={c.kind}>
                <td className="px-3 py-2 font-medium">{c.name}</td>
                <td className="px-3 py-2">{c.kind}</td>
                <td className="px-3 py-2">
                  <Said d={c.before} />
                </td>
                <td className="px-3 py-2">
                  <Said d={c.after} />
                </td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={4} className="px-3 py-2 text-slate-600">
                No decision differs.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
