import { Link } from "@remix-run/react";
import type { AttributeView, SourceView } from "~/lib/planning.server";
import { classifications, dataTypes } from "~/lib/planning-query";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { addAttributeForm } from "~/lib/planning-forms";
import { headerOf } from "./schema-table";

function Checkbox({ name, label, checked }: { name: string; label: string; checked?: boolean }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} />
      {label}
    </label>
  );
}

/** Adds an attribute to the draft, or edits one (`attribute` given); the database checks the source column. */
export function AttributeForm({
  versionId,
  sources,
  attribute,
  cancelTo,
}: {
  versionId: string;
  sources: SourceView[];
  attribute?: AttributeView;
  cancelTo?: string;
}) {
  const intent = attribute ? "update_attribute" : "add_attribute";
  const busy = useSubmitting(intent, attribute?.id);
  const columnsId = `columns-${attribute?.id ?? "new"}`;
  const formId = `attribute-${attribute?.id ?? "new"}`;
  // Editing reads the same fields (the item id instead of nothing): one schema for both.
  const { onSubmit, field } = useFormCheck(formId, addAttributeForm);
  return (
    <IntentForm
      formId={formId}
      onSubmit={onSubmit}
      intent={intent}
      hidden={attribute ? { version_id: versionId, item_id: attribute.id } : { version_id: versionId }}
      label={attribute ? `Edit ${attribute.name}` : "Add an attribute"}
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <FormField {...field("name")} label="Attribute name">
          {(control) => <input {...control} required defaultValue={attribute?.name} className="input" />}
        </FormField>
        <label className="block text-sm font-medium">
          Data type
          <select name="data_type" defaultValue={attribute?.dataType ?? "string"} className="input">
            {dataTypes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium">
          Information security
          <select
            name="information_security_classification"
            defaultValue={attribute?.classification ?? "internal"}
            className="input"
          >
            {classifications.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium sm:col-span-3">
          Description
          <input name="description" defaultValue={attribute?.description ?? ""} className="input" />
        </label>
        <label className="block text-sm font-medium sm:col-span-3">
          Business definition
          <input name="business_definition" defaultValue={attribute?.businessDefinition ?? ""} className="input" />
        </label>
        <label className="block text-sm font-medium">
          Data source
          <select name="data_source_id" defaultValue={attribute?.dataSourceId ?? ""} className="input">
            <option value="">None</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <FormField {...field("source_column")} label="Source column">
          {(control) => (
            <>
              <input {...control} list={columnsId} defaultValue={attribute?.sourceColumn ?? ""} className="input" />
              <datalist id={columnsId}>
                {[...new Map(sources.flatMap((s) => s.columns.map((c) => [c.name, headerOf(c)] as const)))].map(
                  ([name, header]) => (
                    <option key={name} value={name} label={header ? `${name} (${header})` : undefined} />
                  ),
                )}
              </datalist>
            </>
          )}
        </FormField>
        <FormField {...field("max_length")} label="Max length">
          {(control) => (
            <input {...control} type="number" min={1} defaultValue={attribute?.maxLength ?? ""} className="input" />
          )}
        </FormField>
        <label className="block text-sm font-medium sm:col-span-3">
          Transformation rule
          <input name="transformation_rule" defaultValue={attribute?.transformation ?? ""} className="input" />
        </label>
      </div>
      <div className="flex flex-wrap gap-4">
        <Checkbox name="is_cde" label="Critical data element (CDE)" checked={attribute?.isCde} />
        <Checkbox name="is_primary_key" label="Primary key" checked={attribute?.isPrimaryKey} />
        <Checkbox name="is_mandatory" label="Mandatory" checked={attribute?.isMandatory} />
      </div>
      <div className="flex gap-2">
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Saving…" : attribute ? "Save attribute" : "Add attribute"}
        </button>
        {cancelTo ? (
          <Link to={cancelTo} preventScrollReset className="btn-secondary">
            Cancel
          </Link>
        ) : null}
      </div>
    </IntentForm>
  );
}
