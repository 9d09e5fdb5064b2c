import type { ReactNode } from "react";

export interface Column {
  label: ReactNode;
  /** Numbers read best right-aligned. */
  numeric?: boolean;
}

/** The bordered, horizontally scrolling table the profiling workspace uses: a labelled header, then `children` rows. */
export function DataTable({
  label,
  columns,
  bodyClassName = "divide-y divide-slate-100",
  children,
}: {
  label: string;
  columns: Column[];
  bodyClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label={label}>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.numeric ? "px-3 py-2 text-right" : "px-3 py-2"}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={bodyClassName}>{children}</tbody>
      </table>
    </div>
  );
}
