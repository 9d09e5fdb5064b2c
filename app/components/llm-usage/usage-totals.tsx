import type { UsageTotals } from "~/lib/llm-usage.server";
import { dollars, duration, tokens } from "./format";

const indent = { total: "", cycle: "", cycle_report: "pl-6", phase: "pl-12" } as const;

function label(row: UsageTotals, phaseLabels: Record<string, string>): string {
  switch (row.level) {
    case "total":
      return "All calls you can see";
    case "cycle":
      return row.cycle_name ?? "No cycle report";
    case "cycle_report":
      return row.report_name ?? "No cycle report";
    case "phase":
      return row.phase_name ? (phaseLabels[row.phase_name] ?? row.phase_name) : "No phase";
  }
}

/** The database's totals, each cycle followed by its reports, each report by its phases; the total last. */
export function UsageTotalsTable({
  rows,
  phaseLabels = {},
}: {
  rows: UsageTotals[];
  /** Phase names as people read them (phase_definitions.display_name). */
  phaseLabels?: Record<string, string>;
}) {
  const total = rows.find((r) => r.level === "total");
  const ordered = rows
    .filter((r) => r.level === "cycle")
    .flatMap((cycle) => [
      cycle,
      ...rows
        .filter((r) => r.level === "cycle_report" && r.test_cycle_id === cycle.test_cycle_id)
        .flatMap((report) => [
          report,
          ...rows.filter(
            (r) =>
              r.level === "phase" &&
              r.test_cycle_id === cycle.test_cycle_id &&
              r.cycle_report_id === report.cycle_report_id,
          ),
        ]),
    ]);
  return (
    <table className="w-full text-left text-sm" aria-label="Usage by cycle, report and phase">
      <thead className="border-b border-slate-200 text-slate-600">
        <tr>
          <th className="py-2 font-medium">Cycle / report / phase</th>
          <th className="py-2 text-right font-medium">Calls</th>
          <th className="py-2 text-right font-medium">Failed</th>
          <th className="py-2 text-right font-medium">Input tokens</th>
          <th className="py-2 text-right font-medium">Output tokens</th>
          <th className="py-2 text-right font-medium">Cost</th>
          <th className="py-2 text-right font-medium">Time</th>
        </tr>
      </thead>
      <tbody>
        {[...ordered, ...(total ? [total] : [])].map((row, i) => (
          <tr
            key={i}
            data-level={row.level}
            className={
              row.level === "total" ? "border-t-2 border-slate-300 font-semibold" : "border-b border-slate-100"
            }
          >
            <td className={`py-2 ${indent[row.level]} ${row.level === "cycle" ? "font-medium" : ""}`}>
              {label(row, phaseLabels)}
            </td>
            <td className="py-2 text-right">{row.calls}</td>
            <td className="py-2 text-right">{row.failed_calls}</td>
            <td className="py-2 text-right">{tokens(row.input_tokens)}</td>
            <td className="py-2 text-right">{tokens(row.output_tokens)}</td>
            <td className="py-2 text-right">{dollars(row.cost_usd)}</td>
            <td className="py-2 text-right">{duration(row.duration_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
