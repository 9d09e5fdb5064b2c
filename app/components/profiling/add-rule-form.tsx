import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { AttributeOption } from "~/lib/profiling.server";

const kinds = [
  { value: "not_null", label: "Value present (not null)" },
  { value: "range", label: "Number within a range" },
  { value: "allowed_values", label: "One of a list of values" },
  { value: "regex", label: "Matches a pattern" },
  { value: "unique", label: "Unique" },
] as const;
type Kind = (typeof kinds)[number]["value"];

const ruleTypes = ["completeness", "validity", "accuracy", "consistency", "uniqueness"] as const;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="block text-sm font-medium text-slate-700">
      {label}
      {children}
    </label>
  );
}

/**
 * Adds a rule of a common kind to a draft, on the column its attribute maps to. Without JavaScript every
 * kind's fields show and the unused ones are ignored; with it, only the chosen kind's fields show.
 */
export function AddRuleForm({ versionId, attributes }: { versionId: string; attributes: AttributeOption[] }) {
  const [kind, setKind] = useState<Kind>("not_null");
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const shows = (k: Kind) => !hydrated || kind === k;

  if (!attributes.length) {
    return (
      <p className="text-sm text-slate-600">
        No approved planning attribute is mapped to a data source column, so there is nothing to write rules for.
      </p>
    );
  }
  return (
    <Form method="post" preventScrollReset className="grid gap-3 sm:grid-cols-2" aria-label="Add a rule">
      <input type="hidden" name="intent" value="add_rule" />
      <input type="hidden" name="version_id" value={versionId} />
      <Field label="Attribute">
        <select name="attribute_id" className="input" required>
          {attributes.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.column}, {a.columnType})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Rule name">
        <input name="name" className="input" required maxLength={255} />
      </Field>
      <Field label="Rule type">
        <select name="rule_type" className="input" defaultValue="validity">
          {ruleTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Severity">
        <select name="severity" className="input" defaultValue="medium">
          <option value="low">low</option>
          <option value="medium">medium</option>
          <option value="high">high</option>
        </select>
      </Field>
      <Field label="Check">
        <select name="kind" className="input" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </Field>
      {shows("range") ? (
        <div className="grid grid-cols-2 gap-3">
          <Field label="Minimum">
            <input name="min" inputMode="decimal" className="input" />
          </Field>
          <Field label="Maximum">
            <input name="max" inputMode="decimal" className="input" />
          </Field>
        </div>
      ) : null}
      {shows("allowed_values") ? (
        <Field label="Allowed values (comma-separated)">
          <input name="values" className="input" />
        </Field>
      ) : null}
      {shows("regex") ? (
        <div>
          <Field label="Pattern">
            <input name="pattern" className="input font-mono" />
          </Field>
          <label className="mt-1 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="case_insensitive" /> Ignore case
          </label>
        </div>
      ) : null}
      <div className="sm:col-span-2">
        <button type="submit" className="btn-secondary">
          Add rule
        </button>
      </div>
    </Form>
  );
}
