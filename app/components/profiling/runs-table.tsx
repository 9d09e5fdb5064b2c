import { Form, Link } from "@remix-run/react";
import type { Run } from "~/lib/profiling.server";
import { StateBadge } from "./state-badge";
import { DataTable } from "./data-table";

const runLabel = (run: Run) => `${run.started.at ?? ""} · version ${run.versionNumber ?? "?"}`;

/** Every run of the cycle report's rules, newest first, each linking to its results. */
export function RunsTable({ runs, selectedId }: { runs: Run[]; selectedId: string | null }) {
  return (
    <DataTable
      label="Runs"
      columns={[
        { label: "Started" },
        { label: "By" },
        { label: "Version" },
        { label: "Status" },
        { label: <span className="sr-only">Results</span> },
      ]}
    >
      {runs.map((run) => (
        <tr
          key={run.id}
          aria-current={run.id === selectedId ? "true" : undefined}
          className="aria-[current]:bg-blue-50"
        >
          <td className="px-3 py-2 tabular-nums">{run.started.at}</td>
          <td className="px-3 py-2">{run.started.by ?? "—"}</td>
          <td className="px-3 py-2">{run.versionNumber ?? "—"}</td>
          <td className="px-3 py-2">
            <StateBadge state={run.status} />
          </td>
          <td className="px-3 py-2 text-right">
            <Link
              to={`?version=${run.versionId ?? ""}&run=${run.id}`}
              className="rounded text-blue-700 underline focus-ring"
              aria-label={`Results of the run started ${run.started.at}`}
            >
              Results
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Picks two completed runs to compare; a plain GET form, so the comparison has its own address. */
export function CompareForm({
  runs,
  keep,
  before,
  after,
}: {
  runs: Run[];
  keep: Record<string, string>;
  before: string | null;
  after: string | null;
}) {
  const completed = runs.filter((r) => r.status === "completed");
  if (completed.length < 2) {
    return <p className="text-sm text-slate-600">Two completed runs are needed for a comparison.</p>;
  }
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Compare runs">
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label className="text-sm font-medium text-slate-700">
        Earlier run
        <select name="before" className="input" defaultValue={before ?? completed[1]?.id}>
          {completed.map((r) => (
            <option key={r.id} value={r.id}>
              {runLabel(r)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium text-slate-700">
        Later run
        <select name="after" className="input" defaultValue={after ?? completed[0]?.id}>
          {completed.map((r) => (
            <option key={r.id} value={r.id}>
              {runLabel(r)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-secondary">
        Compare
      </button>
    </Form>
  );
}
