import type { ResponseSourceView } from "~/lib/requests.server";

/** A data source given as a response: for which attribute, where its table is, its rows and columns. */
export function ResponseSourceCard({ source }: { source: ResponseSourceView }) {
  return (
    <section
      aria-label={`Data source ${source.name}`}
      className="mt-2 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Data source: {source.name}</span>
        <span className="text-xs text-slate-600">for {source.attribute}</span>
        {source.accepted ? (
          <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">accepted</span>
        ) : source.status !== "ready" ? (
          <span className="rounded bg-orange-100 px-2 py-0.5 text-xs font-medium text-orange-800">{source.status}</span>
        ) : null}
      </p>
      <p className="mt-1 text-xs text-slate-600">
        {source.sourceType === "database" ? "Database table" : "Uploaded table"} <code>{source.table}</code> ·{" "}
        {source.rowCount === null ? "rows not counted yet" : `${source.rowCount} rows`}
      </p>
      {source.error ? <p className="mt-1 text-xs text-red-700">{source.error}</p> : null}
      {source.columns.length ? (
        <ul className="mt-2 flex flex-wrap gap-1 text-xs" aria-label="Columns">
          {source.columns.map((c) => (
            <li key={c.name} className="rounded border border-slate-200 bg-white px-2 py-0.5">
              <code>{c.name}</code> <span className="text-slate-500">{c.type}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
