import { Link } from "@remix-run/react";
import { caseStateOf, matchesFilter, resultLabel, type CaseFilter } from "~/lib/testing";
import type { Progress, TestCaseView } from "~/lib/testing.server";

// A symbol beside each colour, so a state never depends on colour alone.
function cellStyle(c: TestCaseView): { symbol: string; className: string; label: string } {
  const state = caseStateOf(c);
  if (state === "not_started") return { symbol: "○", className: "bg-slate-50 text-slate-600", label: "Not started" };
  const result = resultLabel(c.result);
  if (c.result === "fail") {
    return state === "reviewed"
      ? { symbol: "✕✓", className: "bg-red-200 text-red-900", label: `${result}, reviewed` }
      : { symbol: "✕…", className: "bg-red-50 text-red-800", label: `${result}, awaiting review` };
  }
  if (state === "awaiting_review")
    return { symbol: "…", className: "bg-amber-50 text-amber-900", label: `${result}, awaiting review` };
  if (c.result === "pass")
    return { symbol: "✓", className: "bg-green-100 text-green-900", label: `${result}, reviewed` };
  return { symbol: "–✓", className: "bg-sky-50 text-sky-900", label: `${result}, reviewed` };
}

/** The samples × attributes grid: one cell per test case, coloured by its state; the filter dims the others. */
export function TestGrid({
  samples,
  attributes,
  cases,
  filter,
  selectedId,
  query,
}: {
  samples: { key: string }[];
  attributes: string[];
  cases: TestCaseView[];
  filter: CaseFilter;
  selectedId: string | null;
  query: Record<string, string>;
}) {
  const byCell = new Map(cases.map((c) => [`${c.sampleKey}\u0000${c.attribute}`, c]));
  const rows = samples.filter((s) =>
    attributes.some((a) => {
      const c = byCell.get(`${s.key}\u0000${a}`);
      return c && matchesFilter(c, filter);
    }),
  );
  if (!rows.length) return <p className="text-sm text-slate-600">No test case matches this filter.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full text-left text-sm" aria-label="Test cases">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">Sample</th>
            {attributes.map((a) => (
              <th key={a} className="px-3 py-2 font-medium">
                {a}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((s) => (
            <tr key={s.key} data-sample={s.key}>
              <th scope="row" className="px-3 py-2 font-medium">
                {s.key}
              </th>
              {attributes.map((a) => {
                const c = byCell.get(`${s.key}\u0000${a}`);
                if (!c) return <td key={a} className="px-3 py-2 text-slate-400" />;
                const style = cellStyle(c);
                const shown = matchesFilter(c, filter);
                return (
                  <td key={a} className="px-1 py-1">
                    <Link
                      to={`?${new URLSearchParams({ ...query, case: c.id }).toString()}`}
                      preventScrollReset
                      aria-label={`${s.key} · ${a}: ${style.label}`}
                      aria-current={c.id === selectedId ? "true" : undefined}
                      data-state={caseStateOf(c)}
                      data-result={c.result ?? ""}
                      className={`block rounded px-2 py-1.5 text-xs focus-ring aria-[current=true]:ring-2 aria-[current=true]:ring-blue-600 ${style.className} ${shown ? "" : "opacity-30"}`}
                    >
                      <span aria-hidden="true">{style.symbol}</span> {resultLabel(c.result)}
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const percent = (part: number, total: number) => (total ? Math.round((part / total) * 100) : 0);

/** Prepared, reviewed and failed as a bar and counts, overall and per attribute. */
export function TestProgress({
  progress,
  byAttribute,
}: {
  progress: Progress;
  byAttribute: (Progress & { attribute: string })[];
}) {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div
        role="progressbar"
        aria-label="Test cases reviewed"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.reviewed}
        className="relative h-3 overflow-hidden rounded bg-slate-100"
      >
        <div
          className="absolute inset-y-0 left-0 bg-amber-300"
          style={{ width: `${percent(progress.prepared, progress.total)}%` }}
        />
        <div
          className="absolute inset-y-0 left-0 bg-green-600"
          style={{ width: `${percent(progress.reviewed, progress.total)}%` }}
        />
      </div>
      <p className="text-sm text-slate-700" aria-label="Test progress">
        {progress.total} test cases · {progress.prepared} prepared · {progress.reviewed} reviewed · {progress.failed}{" "}
        failed
      </p>
      <table className="text-left text-xs" aria-label="Progress per attribute">
        <thead className="text-slate-600">
          <tr>
            <th className="pr-4 font-medium">Attribute</th>
            <th className="pr-4 font-medium">Prepared</th>
            <th className="pr-4 font-medium">Reviewed</th>
            <th className="pr-4 font-medium">Failed</th>
          </tr>
        </thead>
        <tbody>
          {byAttribute.map((a) => (
            <tr key={a.attribute}>
              <th scope="row" className="pr-4 font-medium">
                {a.attribute}
              </th>
              <td className="pr-4 tabular-nums">
                {a.prepared}/{a.total}
              </td>
              <td className="pr-4 tabular-nums">
                {a.reviewed}/{a.total}
              </td>
              <td className="pr-4 tabular-nums">{a.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
