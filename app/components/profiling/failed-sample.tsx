/** The failed-row sample of one result, expandable; masked columns arrive as *** from the database. */
export function FailedSample({
  rows,
  failed,
  ruleName,
}: {
  rows: Record<string, unknown>[];
  failed: number;
  ruleName: string;
}) {
  if (!rows.length) return null;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer rounded text-blue-700 focus-ring">
        Failed rows of {ruleName} ({rows.length} of {failed.toLocaleString("en-US")} shown)
      </summary>
      <div className="mt-2 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-xs" aria-label={`Failed rows of ${ruleName}`}>
          <thead className="bg-slate-50 text-left font-semibold text-slate-600">
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col" className="px-2 py-1 font-mono">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 font-mono">
            {rows.map((row, i) => (
              // Sample rows have no identity of their own; their order is fixed.
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c} className="whitespace-nowrap px-2 py-1">
                    {row[c] === null || row[c] === undefined ? (
                      <span className="text-slate-400">null</span>
                    ) : (
                      String(row[c])
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
