import { countOf } from "~/lib/format";

/**
 * A sample value as its column's type reads: a date as a date (2030-01-01, not 2030-01-01T00:00:00.000Z), a
 * timestamp to the second, the rest as text. Masked columns arrive as *** from the database.
 */
export function sampleValue(value: unknown, type: string | undefined): string {
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!iso || !type) return text;
  if (/^date\b/i.test(type)) return iso[1]!;
  if (/^timestamp/i.test(type) && iso[2])
    return `${iso[1]} ${iso[2]}${/with time zone|tz/i.test(type) && iso[3] ? ` ${iso[3] === "Z" ? "UTC" : iso[3]}` : ""}`;
  return text;
}

/**
 * The failed-row sample of one result, expandable: the columns in the table's order, the rule's own columns
 * highlighted (and first to catch the eye with a mark), values shown as their types read.
 */
export function FailedSample({
  rows,
  failed,
  ruleName,
  tableColumns = [],
  ruleColumns = [],
}: {
  rows: Record<string, unknown>[];
  failed: number;
  ruleName: string;
  tableColumns?: { name: string; type: string }[];
  ruleColumns?: string[];
}) {
  if (!rows.length) return null;
  const present = new Set(rows.flatMap((row) => Object.keys(row)));
  // The table's order, then any column the schema does not list (a sample is stored as JSON, whose keys are sorted).
  const columns = [
    ...tableColumns.map((c) => c.name).filter((c) => present.has(c)),
    ...[...present].filter((c) => !tableColumns.some((t) => t.name === c)),
  ];
  const typeOf = new Map(tableColumns.map((c) => [c.name, c.type]));
  const checked = new Set(ruleColumns);
  const cellClass = (c: string) => (checked.has(c) ? "bg-amber-50 font-semibold text-amber-950" : "");
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer rounded text-blue-700 focus-ring">
        Failed rows of {ruleName} ({rows.length} of {countOf(failed, "failing row")} shown)
      </summary>
      <div className="mt-2 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-xs" aria-label={`Failed rows of ${ruleName}`}>
          <thead className="bg-slate-50 text-left font-semibold text-slate-600">
            <tr>
              {columns.map((c) => (
                <th
                  key={c}
                  scope="col"
                  className={`px-2 py-1 font-mono ${cellClass(c)}`}
                  data-rule-column={checked.has(c) ? "" : undefined}
                  title={checked.has(c) ? "Read by the rule" : undefined}
                >
                  {c}
                  {checked.has(c) ? <span aria-label=" (read by the rule)"> ◆</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 font-mono">
            {rows.map((row, i) => (
              // Sample rows have no identity of their own; their order is fixed.
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c} className={`whitespace-nowrap px-2 py-1 ${cellClass(c)}`}>
                    {row[c] === null || row[c] === undefined ? (
                      <span className="text-slate-400">null</span>
                    ) : (
                      sampleValue(row[c], typeOf.get(c))
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
