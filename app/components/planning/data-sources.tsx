import type { SourceView } from "~/lib/planning.server";
import { DecisionForm } from "./decision-form";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { SchemaTable } from "./schema-table";

const stateLabels: Record<string, string> = { pending: "Not tested", ready: "Ready", error: "Connection failed" };

function TestButton({ source }: { source: SourceView }) {
  const busy = useSubmitting("test_source", source.id);
  return (
    <IntentForm intent="test_source" hidden={{ item_id: source.id }}>
      <button
        type="submit"
        className="btn-secondary text-xs"
        disabled={busy}
        aria-label={`Test connection of ${source.name}`}
      >
        {busy ? "Testing…" : "Test connection"}
      </button>
    </IntentForm>
  );
}

function SourceItem({ source, editable, versionId }: { source: SourceView; editable: boolean; versionId: string }) {
  return (
    <li data-source={source.name} className="py-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium">{source.name}</p>
          <p className="text-xs text-slate-600">
            {source.type === "database" ? "Database" : "CSV upload"} · {source.location} ·{" "}
            <span data-testid="source-state">{stateLabels[source.state] ?? source.state}</span>
            {source.rowCount !== null ? ` · ${source.rowCount.toLocaleString("en-US")} rows` : ""}
            {source.checkedAt ? ` · checked ${source.checkedAt}` : ""}
          </p>
          {source.error ? <p className="mt-1 text-xs text-red-800">{source.error}</p> : null}
        </div>
        <div className="flex items-start gap-3">
          {editable && source.type === "database" ? <TestButton source={source} /> : null}
          <DecisionForm
            versionId={versionId}
            item="source"
            id={source.id}
            label={source.name}
            current={source}
            editable={editable}
          />
        </div>
      </div>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-blue-700 underline">
          Schema ({source.columns.length} columns)
        </summary>
        <div className="mt-2">
          <SchemaTable columns={source.columns} sourceName={source.name} />
        </div>
      </details>
    </li>
  );
}

export function DataSourceList({
  sources,
  editable,
  versionId,
}: {
  sources: SourceView[];
  editable: boolean;
  versionId: string;
}) {
  if (!sources.length) return <p className="text-sm text-slate-600">No data sources yet.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Data sources">
      {sources.map((source) => (
        <SourceItem key={source.id} source={source} editable={editable} versionId={versionId} />
      ))}
    </ul>
  );
}
