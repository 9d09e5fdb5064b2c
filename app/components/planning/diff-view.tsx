import type { DiffItem, ItemChange } from "~/lib/planning-diff";

const kindStyles = {
  added: { label: "Added", row: "bg-green-50", symbol: "+" },
  removed: { label: "Removed", row: "bg-red-50", symbol: "−" },
  changed: { label: "Changed", row: "bg-amber-50", symbol: "~" },
  unchanged: { label: "Unchanged", row: "", symbol: "=" },
} as const;

function Side({ item, changed }: { item: DiffItem | undefined; changed: Set<string> }) {
  if (!item) return <td className="px-3 py-2 text-xs text-slate-400">—</td>;
  return (
    <td className="px-3 py-2 align-top">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
        {Object.entries(item.fields)
          .filter(([, value]) => value !== "")
          .map(([field, value]) => (
            <div key={field} className="contents">
              <dt className="text-slate-500">{field}</dt>
              <dd className={changed.has(field) ? "font-semibold text-amber-900" : undefined}>{value}</dd>
            </div>
          ))}
      </dl>
    </td>
  );
}

/** Changes of one kind of item between two versions, older on the left, newer on the right. */
export function DiffTable({
  title,
  changes,
  beforeLabel,
  afterLabel,
  showUnchanged,
}: {
  title: string;
  changes: ItemChange[];
  beforeLabel: string;
  afterLabel: string;
  showUnchanged: boolean;
}) {
  const shown = showUnchanged ? changes : changes.filter((c) => c.kind !== "unchanged");
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const c of changes) counts[c.kind] += 1;
  return (
    <section className="mt-8" aria-label={title}>
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="text-sm text-slate-600">
        {counts.added} added · {counts.removed} removed · {counts.changed} changed · {counts.unchanged} unchanged
      </p>
      {shown.length ? (
        <table className="mt-3 w-full table-fixed text-left text-sm">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="w-24 px-3 py-2 font-medium">Change</th>
              <th className="px-3 py-2 font-medium">{beforeLabel}</th>
              <th className="px-3 py-2 font-medium">{afterLabel}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((change) => {
              const style = kindStyles[change.kind];
              const before = change.kind === "added" ? undefined : change.before;
              const after = change.kind === "removed" ? undefined : change.after;
              const changed = new Set(change.kind === "changed" ? change.changes.map((c) => c.field) : []);
              return (
                <tr key={(after ?? before)!.id} data-change={change.kind} className={style.row}>
                  <td className="px-3 py-2 align-top text-xs font-medium">
                    <span aria-hidden="true">{style.symbol} </span>
                    {style.label}
                  </td>
                  <Side item={before} changed={changed} />
                  <Side item={after} changed={changed} />
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="mt-2 text-sm text-slate-600">No differences.</p>
      )}
    </section>
  );
}
