import { ConfirmAction } from "~/components/confirm-action";
import { FormField } from "~/components/form-field";
import { useContext } from "react";
import { FormErrorsContext, useFormCheck } from "~/lib/forms";
import { updateSourceForm } from "~/lib/planning-forms";
import { countOf } from "~/lib/format";
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

const connectionFields = [
  ["host", "Host", "text"],
  ["port", "Port", "number"],
  ["database", "Database", "text"],
  ["schema", "Schema", "text"],
  ["table", "Table", "text"],
  ["user", "User", "text"],
] as const;

/** The id of a source's edit form (posted as form_id), so the server's field errors come back to it. */
export const sourceEditFormId = (sourceId: string) => `source-${sourceId}`;

/**
 * Corrects a source of the draft: its name and description; a database source's connection, then tested again.
 * One schema (updateSourceForm) checks it in the browser and on the server, each error beside its field.
 */
function SourceEditForm({ source, versionId }: { source: SourceView; versionId: string }) {
  const busy = useSubmitting("update_source", source.id);
  const formId = sourceEditFormId(source.id);
  const { onSubmit, field } = useFormCheck(formId, updateSourceForm);
  return (
    <IntentForm
      intent="update_source"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ item_id: source.id, version_id: versionId, source_type: source.type }}
      label={`Edit ${source.name}`}
      className="mt-2 space-y-3 rounded border border-slate-200 bg-slate-50 p-3"
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <FormField {...field("name")} label="Name" className="col-span-2">
          {(control) => <input {...control} required maxLength={255} defaultValue={source.name} className="input" />}
        </FormField>
        <FormField {...field("description")} label="Description" className="col-span-2">
          {(control) => <input {...control} defaultValue={source.description ?? ""} className="input" />}
        </FormField>
        {source.connection
          ? connectionFields.map(([name, label, type]) => (
              <FormField key={name} {...field(name)} label={label}>
                {(control) => (
                  <input
                    {...control}
                    type={type}
                    required={name !== "port" && name !== "schema"}
                    defaultValue={String(source.connection![name])}
                    autoComplete="off"
                    className="input"
                  />
                )}
              </FormField>
            ))
          : null}
        {source.connection ? (
          <FormField
            {...field("password")}
            label="New password"
            hint="Blank keeps the stored one."
            className="col-span-2"
          >
            {(control) => <input {...control} type="password" autoComplete="new-password" className="input" />}
          </FormField>
        ) : null}
      </div>
      {source.connection ? (
        <p className="text-xs text-slate-600">Saving tests the connection again.</p>
      ) : (
        <p className="text-xs text-slate-600">To load another file, remove this source and upload the file anew.</p>
      )}
      <button type="submit" className="btn-secondary" disabled={busy}>
        {busy ? "Saving…" : source.connection ? "Save and test" : "Save"}
      </button>
    </IntentForm>
  );
}

function SourceItem({ source, editable, versionId }: { source: SourceView; editable: boolean; versionId: string }) {
  // Open on the server's field errors for its edit form, so they are seen without JavaScript too.
  const refused = useContext(FormErrorsContext)?.formId === sourceEditFormId(source.id);
  return (
    <li data-source={source.name} className="py-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="break-words font-medium">{source.name}</p>
          <p className="text-xs text-slate-600">
            {source.type === "database" ? "Database" : "CSV upload"} · {source.location} ·{" "}
            <span data-testid="source-state">{stateLabels[source.state] ?? source.state}</span>
            {source.rowCount !== null ? ` · ${countOf(source.rowCount, "row")}` : ""}
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
      {editable ? (
        <div className="mt-2 flex flex-wrap items-start gap-4">
          <details open={refused || undefined}>
            <summary className="cursor-pointer text-sm text-blue-700 underline">Edit</summary>
            <SourceEditForm source={source} versionId={versionId} />
          </details>
          <ConfirmAction
            label="Remove"
            question={
              source.usedBy.length
                ? `Remove “${source.name}”? ${countOf(source.usedBy.length, "attribute")} ${source.usedBy.length === 1 ? "reads" : "read"} from it (${source.usedBy.join(", ")}): change them first.`
                : `Remove “${source.name}” from the draft?${source.type === "file_upload" ? " Its uploaded rows are deleted with it." : ""}`
            }
            confirm={`Remove ${source.name}`}
            hidden={{
              intent: "delete_source",
              item_id: source.id,
              version_id: versionId,
              used_by: source.usedBy.join(", "),
            }}
          />
        </div>
      ) : null}
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-blue-700 underline">
          Schema ({countOf(source.columns.length, "column")})
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
