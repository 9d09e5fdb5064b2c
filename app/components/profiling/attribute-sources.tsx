import { Link } from "@remix-run/react";
import type { AttributeSource } from "~/lib/profiling-workspace.server";

/**
 * Which data each attribute's rules run on: the source its data request accepted, or, when the data request was
 * skipped or gave none for it, the attribute's planning source.
 */
export function AttributeSources({ sources }: { sources: AttributeSource[] }) {
  if (!sources.length) return null;
  return (
    <section aria-labelledby="attribute-sources">
      <h2 id="attribute-sources" className="text-lg font-semibold tracking-tight">
        Where the rules run
      </h2>
      <p className="text-sm text-slate-600">
        An attribute&apos;s rules run on the source its data request accepted; without one, on its planning source.
      </p>
      <table className="mt-3 w-full text-left text-sm" aria-label="Where the rules run">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1 pr-4">Attribute</th>
            <th className="py-1 pr-4">Source</th>
            <th className="py-1 pr-4">From</th>
            <th className="py-1 pr-4">Table</th>
            <th className="py-1 pr-4 text-right">Rows</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.attribute} className="border-t border-slate-100">
              <td className="py-1 pr-4 font-medium">{s.attribute}</td>
              <td className="py-1 pr-4">{s.name ?? "—"}</td>
              <td className="py-1 pr-4">
                {s.kind === "request" && s.requestId ? (
                  <Link to={`/requests/${s.requestId}`} className="rounded text-blue-700 underline focus-ring">
                    the data request
                  </Link>
                ) : (
                  "planning"
                )}
              </td>
              <td className="py-1 pr-4">
                <code>{s.table ?? "—"}</code>
              </td>
              <td className="py-1 pr-4 text-right tabular-nums">{s.rowCount ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
