import type { RateDelta } from "~/lib/profiling.server";
import { DataTable } from "./data-table";

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
    <DataTable
      label="Pass-rate changes"
      columns={[
        { label: "Rule" },
        { label: "Attribute" },
        { label: "Earlier", numeric: true },
        { label: "Later", numeric: true },
        { label: "Change", numeric: true },
      ]}
    >
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
    </DataTable>
  );
}
