import type { SourceColumn } from "~/lib/planning.server";

/** The header as written in the file, where loading renamed the column (`loan_id_2` ← `Loan-ID`); else nothing. */
export function headerOf(column: Pick<SourceColumn, "name" | "originalName"> | undefined): string | null {
  return column?.originalName && column.originalName !== column.name ? column.originalName : null;
}

/** A column's header beside its name, where loading renamed it. */
export function HeaderNote({ column }: { column: Pick<SourceColumn, "name" | "originalName"> | undefined }) {
  const header = headerOf(column);
  return header ? (
    <span className="ml-1 font-sans text-slate-500" title="Header in the file">
      ({header})
    </span>
  ) : null;
}

const count = (value: number | null | undefined, estimate?: boolean) =>
  value === null || value === undefined ? "—" : `${estimate ? "≈" : ""}${value.toLocaleString("en-US")}`;

/** A data source's measured columns: type, nulls, distinct values, range and examples. */
export function SchemaTable({ columns, sourceName }: { columns: SourceColumn[]; sourceName: string }) {
  if (!columns.length) return <p className="text-sm text-slate-600">No schema yet: test the connection first.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-xs" aria-label={`Columns of ${sourceName}`}>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className="px-2 py-1 font-medium">Column</th>
            <th className="px-2 py-1 font-medium">Type</th>
            <th className="px-2 py-1 font-medium">Nulls</th>
            <th className="px-2 py-1 font-medium">Distinct</th>
            <th className="px-2 py-1 font-medium">Min</th>
            <th className="px-2 py-1 font-medium">Max</th>
            <th className="px-2 py-1 font-medium">Examples</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {columns.map((column) => (
            <tr key={column.name}>
              <td className="px-2 py-1 font-mono">
                {column.name}
                <HeaderNote column={column} />
              </td>
              <td className="px-2 py-1" title={column.pgType}>
                {column.type}
                {column.nullable === false ? <span className="ml-1 text-slate-500">not null</span> : null}
              </td>
              <td className="px-2 py-1 tabular-nums">{count(column.nullCount)}</td>
              <td className="px-2 py-1 tabular-nums">{count(column.distinctCount, column.distinctIsEstimate)}</td>
              {column.masked ? (
                <td colSpan={3} className="px-2 py-1 text-slate-500">
                  withheld: classified confidential, restricted or personal
                </td>
              ) : (
                <>
                  <td className="px-2 py-1">{column.min ?? "—"}</td>
                  <td className="px-2 py-1">{column.max ?? "—"}</td>
                  <td className="max-w-xs truncate px-2 py-1" title={column.examples?.join(", ")}>
                    {column.examples?.join(", ") || "—"}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
