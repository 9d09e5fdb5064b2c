import { Form, Link } from "@remix-run/react";
import type { VersionView } from "~/lib/versions.server";
import { VersionStatusBadge } from "./status-badge";

function Stamp({ label, stamp }: { label: string; stamp: { by: string | null; at: string | null } }) {
  if (!stamp.at) return null;
  return (
    <span className="block">
      {label} {stamp.by ? `by ${stamp.by} ` : ""}on {stamp.at}
    </span>
  );
}

/**
 * Every version of the phase, newest first: its state, its items, who moved it when, and (where the phase has
 * a comparison page, `diffAction`) a form to compare two of them side by side.
 */
export function VersionHistory({
  versions,
  selectedId,
  diffAction,
  itemsLabel = "Items",
  itemsOf = (v) => v.itemCount,
}: {
  versions: VersionView[];
  selectedId: string;
  diffAction?: string;
  /** The heading of the items column, in the phase's words (e.g. "Attributes"). */
  itemsLabel?: string;
  itemsOf?: (version: VersionView) => number;
}) {
  const other = diffAction ? versions.find((v) => v.id !== selectedId) : undefined;
  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm" aria-label="Version history">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="px-3 py-2 font-medium">Version</th>
              <th className="px-3 py-2 font-medium">Status</th>
              <th className="px-3 py-2 font-medium">{itemsLabel}</th>
              <th className="px-3 py-2 font-medium">History</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {versions.map((v) => (
              <tr key={v.id} data-version={v.number} className={v.id === selectedId ? "bg-blue-50/50" : undefined}>
                <td className="px-3 py-2">
                  {v.id === selectedId ? (
                    <span className="font-medium">Version {v.number} (shown)</span>
                  ) : (
                    <Link to={`?version=${v.id}`} className="text-blue-700 underline">
                      Version {v.number}
                    </Link>
                  )}
                </td>
                <td className="px-3 py-2">
                  <VersionStatusBadge status={v.status} />
                </td>
                <td className="px-3 py-2 tabular-nums">{itemsOf(v)}</td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  <Stamp label="Created" stamp={{ by: null, at: v.created }} />
                  <Stamp label="Submitted" stamp={v.submitted} />
                  <Stamp label="Approved" stamp={v.approved} />
                  <Stamp label="Rejected" stamp={v.rejected} />
                  {v.rejected.reason ? <span className="block text-red-800">Reason: {v.rejected.reason}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {other ? (
        <Form
          method="get"
          action={diffAction}
          className="flex flex-wrap items-end gap-3 text-sm"
          aria-label="Compare versions"
        >
          {(
            [
              ["from", "Compare", other.id],
              ["to", "with", selectedId],
            ] as const
          ).map(([name, label, value]) => (
            <label key={name} className="block font-medium">
              {label}
              <select name={name} defaultValue={value} className="input w-40">
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    Version {v.number}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="submit" className="btn-secondary mb-0.5">
            Compare
          </button>
        </Form>
      ) : null}
    </div>
  );
}
