import type { RateDelta } from "~/lib/profiling.server";

function Delta({ value }: { value: number | null }) {
  if (value === null) return <span className="text-slate-500">—</span>;
  if (value === 0) return <span className="text-slate-600">no change</span>;
  const up = value > 0;
  return (
    <span className={up ? "text-green-800" : "text-red-800"}>
      <span aria-hidden="true">{up ? "▲" : "▼"}</span> {up ? "+" : ""}
      {value} points
    </span>
  );
}

const rate = (value: number | null) => (value === null ? "—" : `${value}%`);

/** Pass rates of two runs side by side, per rule, with the change. */
export function ComparisonTable({ rows }: { rows: RateDelta[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Pass-rate changes">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Rule
            </th>
            <th scope="col" className="px-3 py-2">
              Attribute
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Earlier
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Later
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Change
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key} data-rule={row.ruleName}>
              <th scope="row" className="px-3 py-2 text-left font-medium">
                {row.ruleName}
              </th>
              <td className="px-3 py-2">{row.attribute}</td>
              <td className="px-3 py-2 text-right tabular-nums">{rate(row.before)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{rate(row.after)}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                <Delta value={row.delta} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
