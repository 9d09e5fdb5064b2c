import type { InteractionRow } from "~/lib/llm-usage.server";
import type { Database } from "~/types/database";
import { dollars, duration, tokens } from "./format";

// Answered: paid for and on record, its proposals not stored yet (a retried job stores them).
const statusStyle: Record<Database["public"]["Enums"]["llm_status"], string> = {
  completed: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  pending: "bg-amber-100 text-amber-800",
  answered: "bg-sky-100 text-sky-800",
};

export function InteractionsTable({
  rows,
  phaseLabels = {},
}: {
  rows: InteractionRow[];
  phaseLabels?: Record<string, string>;
}) {
  return (
    <table className="w-full text-left text-sm" aria-label="LLM interactions">
      <thead className="border-b border-slate-200 text-slate-600">
        <tr>
          <th className="py-2 font-medium">When</th>
          <th className="py-2 font-medium">Report / phase</th>
          <th className="py-2 font-medium">Status</th>
          <th className="py-2 font-medium">Provider / model</th>
          <th className="py-2 text-right font-medium">Duration</th>
          <th className="py-2 text-right font-medium">Tokens in / out</th>
          <th className="py-2 text-right font-medium">Cost</th>
          <th className="py-2 font-medium">Error</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="border-b border-slate-100 align-top" data-testid="interaction">
            <td className="py-2 whitespace-nowrap">
              {new Date(row.created_at).toISOString().slice(0, 19).replace("T", " ")}
            </td>
            <td className="py-2">
              {row.cycle_reports?.reports?.name ?? "—"}
              <span className="block text-xs text-slate-500">
                {row.workflow_phases?.phase_name
                  ? (phaseLabels[row.workflow_phases.phase_name] ?? row.workflow_phases.phase_name)
                  : "—"}{" "}
                · {row.purpose.replaceAll("_", " ")} · attempt {row.attempt}
              </span>
            </td>
            <td className="py-2">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusStyle[row.status]}`}>{row.status}</span>
            </td>
            <td className="py-2">
              {row.provider}
              <span className="block text-xs text-slate-500">{row.model}</span>
            </td>
            <td className="py-2 text-right">{duration(row.duration_ms)}</td>
            <td className="py-2 text-right whitespace-nowrap">
              {tokens(row.input_tokens)} / {tokens(row.output_tokens)}
            </td>
            <td className="py-2 text-right">{dollars(row.cost_usd)}</td>
            <td className="py-2 max-w-xs text-xs text-red-800">
              {row.failure_reason ? (
                <>
                  <span className="font-medium">
                    {row.failure_reason.replace("_", " ")}
                    {row.http_status ? ` (HTTP ${row.http_status})` : ""}
                  </span>
                  <span className="block break-words text-slate-600">{row.error?.split("\n")[0]}</span>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
