import { Form, Link } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import type { AttributeOption, ProfilingRule } from "~/lib/profiling.server";
import {
  formOfDefinition,
  ruleFormId,
  operators,
  previewRule,
  ruleForm,
  ruleFormValues,
  type RuleKind,
  ruleKinds,
  ruleTypes,
  severities,
} from "~/lib/rule-form";

const operatorWords: Record<(typeof operators)[number], string> = {
  "=": "equals",
  "<>": "differs from",
  "<": "is less than",
  "<=": "is at most",
  ">": "is greater than",
  ">=": "is at least",
};

type Values = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * The rule form: adds a rule to a draft, or edits one of its rules (`rule`), of any kind of the rule language, on
 * the column its attribute maps to, with the definition previewed in words as it is written. The same schema
 * checks it in the browser (errors beside their fields, nothing sent) and on the server, whose field errors come
 * back through FormErrorsContext (the form posts its form_id). Without JavaScript
 * every kind's fields show and the unused ones are ignored; with it, only the chosen kind's fields show.
 */
export function RuleForm({
  versionId,
  attributes,
  rule,
  cancelTo,
}: {
  versionId: string;
  attributes: AttributeOption[];
  /** The rule being edited; absent to add one. */
  rule?: ProfilingRule;
  /** Where "Cancel" leads (editing only). */
  cancelTo?: string;
}) {
  const formId = ruleFormId(rule?.id);
  const initial: Values = useMemo(() => {
    if (!rule)
      return { kind: "not_null", attribute_id: attributes[0]?.id ?? "", rule_type: "validity", severity: "medium" };
    const column = attributes.find((a) => a.id === rule.attributeId)?.column ?? "";
    return {
      attribute_id: rule.attributeId,
      name: rule.name,
      rule_type: rule.ruleType,
      severity: rule.severity,
      ...formOfDefinition(rule.definitionJson, column),
    };
  }, [rule, attributes]);
  const [values, setValues] = useState<Values>(initial);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const { onSubmit, field } = useFormCheck(formId, ruleForm, ruleFormValues);
  const kind = (str(values.kind) || "not_null") as RuleKind;
  const shows = (k: RuleKind) => !hydrated || kind === k;
  const attribute = attributes.find((a) => a.id === values.attribute_id) ?? attributes[0];
  const preview = attribute ? previewRule(values, attribute.column, attribute.columnType) : null;

  if (!attributes.length) {
    return (
      <p className="text-sm text-slate-600">
        No approved planning attribute is mapped to a data source column, so there is nothing to write rules for.
      </p>
    );
  }

  const text = (name: string) => ({ defaultValue: str(initial[name]), className: "input" });

  return (
    <Form
      method="post"
      preventScrollReset
      noValidate
      className="grid gap-3 sm:grid-cols-2"
      aria-label={rule ? `Edit ${rule.name}` : "Add a rule"}
      onSubmit={onSubmit}
      onChange={(e) => setValues(ruleFormValues(new FormData(e.currentTarget)))}
    >
      <input type="hidden" name="intent" value={rule ? "update_rule" : "add_rule"} />
      <input type="hidden" name="form_id" value={formId} />
      <input type="hidden" name="version_id" value={versionId} />
      {rule ? <input type="hidden" name="item_id" value={rule.id} /> : null}
      <FormField {...field("attribute_id")} label="Attribute">
        {(control) => (
          <select {...control} className="input" defaultValue={str(initial.attribute_id)}>
            {attributes.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.column}, {a.columnType})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField {...field("name")} label="Rule name">
        {(control) => <input {...control} {...text("name")} maxLength={255} />}
      </FormField>
      <FormField {...field("rule_type")} label="Rule type">
        {(control) => (
          <select {...control} className="input" defaultValue={str(initial.rule_type)}>
            {ruleTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField {...field("severity")} label="Severity">
        {(control) => (
          <select {...control} className="input" defaultValue={str(initial.severity)}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField {...field("kind")} label="Check">
        {(control) => (
          <select {...control} className="input" defaultValue={kind}>
            {ruleKinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </FormField>

      {shows("range") ? (
        <fieldset className="grid grid-cols-2 gap-3">
          <legend className="sr-only">Number range</legend>
          <FormField {...field("min")} label="Minimum">
            {(control) => <input {...control} {...text("min")} inputMode="decimal" />}
          </FormField>
          <FormField {...field("max")} label="Maximum">
            {(control) => <input {...control} {...text("max")} inputMode="decimal" />}
          </FormField>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="min_exclusive" defaultChecked={initial.min_exclusive === true} /> Lower bound
            excluded
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="max_exclusive" defaultChecked={initial.max_exclusive === true} /> Upper bound
            excluded
          </label>
        </fieldset>
      ) : null}
      {shows("date_range") ? (
        <fieldset className="grid grid-cols-2 gap-3">
          <legend className="sr-only">Date range</legend>
          <FormField {...field("min_date")} label="Earliest date" hint="YYYY-MM-DD, inclusive">
            {(control) => <input {...control} {...text("min_date")} type="date" />}
          </FormField>
          <FormField {...field("max_date")} label="Latest date" hint="YYYY-MM-DD, inclusive">
            {(control) => <input {...control} {...text("max_date")} type="date" />}
          </FormField>
        </fieldset>
      ) : null}
      {shows("length") ? (
        <fieldset className="grid grid-cols-2 gap-3">
          <legend className="sr-only">Text length</legend>
          <FormField {...field("min_length")} label="Shortest length">
            {(control) => <input {...control} {...text("min_length")} inputMode="numeric" />}
          </FormField>
          <FormField {...field("max_length")} label="Longest length">
            {(control) => <input {...control} {...text("max_length")} inputMode="numeric" />}
          </FormField>
        </fieldset>
      ) : null}
      {shows("allowed_values") ? (
        <FormField {...field("values")} label="Allowed values (comma-separated)">
          {(control) => <input {...control} {...text("values")} />}
        </FormField>
      ) : null}
      {shows("regex") ? (
        <div>
          <FormField {...field("pattern")} label="Pattern" hint="A PostgreSQL regular expression, e.g. ^[A-Z]{3}$">
            {(control) => <input {...control} {...text("pattern")} className="input font-mono" />}
          </FormField>
          <label className="mt-1 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="case_insensitive" defaultChecked={initial.case_insensitive === true} /> Ignore
            case
          </label>
        </div>
      ) : null}
      {shows("unique") && attribute && attribute.columns.length ? (
        <fieldset className="text-sm">
          <legend className="font-medium text-slate-700">Unique together with (optional)</legend>
          <div className="mt-1 flex max-h-32 flex-wrap gap-x-4 gap-y-1 overflow-y-auto">
            {attribute.columns.map((c) => (
              <label key={c.name} className="flex items-center gap-1 break-all">
                <input
                  type="checkbox"
                  name="unique_with"
                  value={c.name}
                  defaultChecked={(initial.unique_with as string[] | undefined)?.includes(c.name)}
                />
                {c.name}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {shows("compare_columns") ? (
        <fieldset className="grid grid-cols-2 gap-3">
          <legend className="sr-only">Column comparison</legend>
          <FormField {...field("operator")} label="Comparison">
            {(control) => (
              <select {...control} className="input" defaultValue={str(initial.operator) || "="}>
                {operators.map((o) => (
                  <option key={o} value={o}>
                    {operatorWords[o]} ({o})
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField {...field("right_column")} label="Other column">
            {(control) => (
              <select {...control} className="input" defaultValue={str(initial.right_column)}>
                <option value="">Choose a column</option>
                {(attribute?.columns ?? []).map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.type})
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </fieldset>
      ) : null}
      {shows("expression") ? (
        <FormField
          {...field("expression")}
          label="Condition"
          hint="What a row must meet to pass, in SQL: columns, comparisons, and/or, functions such as lower() or length(). E.g. balance >= 0 or status = 'closed'"
          className="sm:col-span-2"
        >
          {(control) => <textarea {...control} {...text("expression")} rows={2} className="input font-mono" />}
        </FormField>
      ) : null}

      <p role="status" aria-label="Rule preview" className="text-sm text-slate-700 sm:col-span-2">
        <span className="font-medium">Passes when:</span>{" "}
        {preview ? (
          <span data-preview>{preview}</span>
        ) : (
          <span className="text-slate-500">complete the check’s fields</span>
        )}
        {hydrated ? null : (
          <span className="text-slate-500"> (the fields of the chosen check apply; the others are ignored)</span>
        )}
      </p>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-secondary">
          {rule ? "Save rule" : "Add rule"}
        </button>
        {cancelTo ? (
          <Link to={cancelTo} preventScrollReset className="rounded text-sm text-blue-700 underline focus-ring">
            Cancel
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
