import { Link } from "@remix-run/react";
import { classifications } from "~/lib/planning-query";
import type { SourceView } from "~/lib/planning.server";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { addMappingForm } from "~/lib/planning-forms";
import { headerOf } from "~/components/planning/schema-table";

const levels = ["low", "medium", "high"] as const;

function Select({
  name,
  label,
  options,
  value,
}: {
  name: string;
  label: string;
  options: readonly string[];
  value: string;
}) {
  return (
    <label className="block text-sm font-medium">
      {label}
      <select name={name} defaultValue={value} className="input">
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

/** Adds a PDE mapping to an attribute, with its classification; the database derives the risk score. */
export function MappingForm({
  versionId,
  attributeId,
  attributeName,
  cancelTo,
  sources = [],
  attributeSource = null,
}: {
  versionId: string;
  attributeId: string;
  attributeName: string;
  cancelTo: string;
  /** The version's data sources: the source table and column are chosen from their recorded columns. */
  sources?: Pick<SourceView, "id" | "name" | "columns">[];
  /** The attribute's own source and column, chosen by default. */
  attributeSource?: { dataSourceId: string; column: string } | null;
}) {
  const withColumns = sources.filter((s) => s.columns.length > 0);
  const preset =
    attributeSource && withColumns.some((s) => s.id === attributeSource.dataSourceId)
      ? `${attributeSource.dataSourceId}:${attributeSource.column}`
      : "";
  const busy = useSubmitting("add_mapping");
  const formId = `mapping-${attributeId}`;
  const { onSubmit, field } = useFormCheck(formId, addMappingForm);
  return (
    <IntentForm
      formId={formId}
      onSubmit={onSubmit}
      intent="add_mapping"
      hidden={{ version_id: versionId, attribute_id: attributeId }}
      label={`Add a PDE mapping to ${attributeName}`}
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <div className="grid gap-3 sm:grid-cols-4">
        <FormField {...field("pde_code")} label="PDE code">
          {(control) => <input {...control} required className="input" />}
        </FormField>
        <FormField {...field("pde_name")} label="PDE name">
          {(control) => <input {...control} required className="input" />}
        </FormField>
        <Select
          name="mapping_type"
          label="Mapping type"
          options={["direct", "conditional", "derived", "lookup"]}
          value="direct"
        />
        <label className="block text-sm font-medium">
          Data category
          <input name="data_category" className="input" />
        </label>
        <FormField {...field("source")} label="Source table and column" className="sm:col-span-2">
          {(control) => (
            <select {...control} defaultValue={preset} className="input">
              <option value="">No source column</option>
              {withColumns.map((source) => (
                <optgroup key={source.id} label={source.name}>
                  {source.columns.map((c) => (
                    <option key={c.name} value={`${source.id}:${c.name}`}>
                      {source.name} · {c.name}
                      {headerOf(c) ? ` (${headerOf(c)})` : ""}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </FormField>
        <label className="block text-sm font-medium sm:col-span-2">
          Transformation rule
          <input name="transformation_rule" className="input" />
        </label>
        <Select name="criticality" label="Criticality" options={levels} value="medium" />
        <Select name="risk_level" label="Risk level" options={levels} value="medium" />
        <Select name="information_security" label="Information security" options={classifications} value="internal" />
      </div>
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="is_primary" /> Primary PDE
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="regulatory_flag" /> Regulatory
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="pii_flag" /> Personal data (PII)
        </label>
      </div>
      <div className="flex gap-2">
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Adding…" : "Add mapping"}
        </button>
        <Link to={cancelTo} preventScrollReset className="btn-secondary">
          Cancel
        </Link>
      </div>
    </IntentForm>
  );
}
