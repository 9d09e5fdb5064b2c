import { Link } from "@remix-run/react";
import { classifications } from "~/lib/planning-query";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";

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
}: {
  versionId: string;
  attributeId: string;
  attributeName: string;
  cancelTo: string;
}) {
  const busy = useSubmitting("add_mapping");
  return (
    <IntentForm
      intent="add_mapping"
      hidden={{ version_id: versionId, attribute_id: attributeId }}
      label={`Add a PDE mapping to ${attributeName}`}
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <div className="grid gap-3 sm:grid-cols-4">
        <label className="block text-sm font-medium">
          PDE code
          <input name="pde_code" required className="input" />
        </label>
        <label className="block text-sm font-medium">
          PDE name
          <input name="pde_name" required className="input" />
        </label>
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
        <label className="block text-sm font-medium">
          Source table
          <input name="source_table" className="input" />
        </label>
        <label className="block text-sm font-medium">
          Source column
          <input name="source_column" className="input" />
        </label>
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
