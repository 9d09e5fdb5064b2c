import { Form } from "@remix-run/react";
import { useState } from "react";
import { FormField } from "~/components/form-field";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { BACKGROUND_DRAW_ROWS, DATABASE_METHODS, samplingMethods } from "~/lib/sampling";
import { runForm, runFormValues, samplingFormIds } from "~/lib/sampling-forms";
import type { SamplingWorkspace } from "~/lib/sampling.server";

/**
 * The attribute-sampling calculator, as a GET form: the page computes the size in the database
 * (public.attribute_sample_size) and shows it; the run form takes the same inputs.
 */
export function SampleSizeCalculator({
  calculator,
  versionId,
}: Pick<SamplingWorkspace, "calculator"> & { versionId: string }) {
  return (
    <Form method="get" className="space-y-2" aria-label="Sample-size calculator">
      <input type="hidden" name="version" value={versionId} />
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="block font-medium">
          Confidence (%)
          <input name="confidence" defaultValue={calculator.confidence} inputMode="decimal" className="input w-24" />
        </label>
        <label className="block font-medium">
          Tolerable deviation rate (%)
          <input name="tolerable" defaultValue={calculator.tolerable} inputMode="decimal" className="input w-24" />
        </label>
        <label className="block font-medium">
          Expected deviations
          <input name="expected" defaultValue={calculator.expected} inputMode="numeric" className="input w-24" />
        </label>
        <button type="submit" className="btn-secondary mb-0.5">
          Calculate
        </button>
      </div>
      <p role="status" aria-label="Calculated sample size" className="text-sm">
        {calculator.size !== null ? (
          <>
            Sample size: <strong>{calculator.size}</strong> (binomial attribute sampling: {calculator.confidence}%
            confidence that the deviation rate is below {calculator.tolerable}% when at most {calculator.expected}{" "}
            deviation{calculator.expected === 1 ? "" : "s"} are found)
          </>
        ) : (
          <span className="text-red-800">{calculator.error}</span>
        )}
      </p>
    </Form>
  );
}

/**
 * The tester's run form: population, method and its settings, size (calculator or set with a reason), seed. One
 * schema (runForm) checks it in the browser and on the server, each error beside its field.
 */
export function SelectionForm({
  workspace,
  versionId,
}: {
  workspace: Pick<SamplingWorkspace, "sources" | "rules" | "calculator" | "selection">;
  versionId: string;
}) {
  const { sources, rules, calculator, selection } = workspace;
  const [sourceId, setSourceId] = useState(selection?.dataSourceId ?? sources[0]?.id ?? "");
  const [method, setMethod] = useState<string>(selection?.method ?? "simple_random");
  const [basis, setBasis] = useState<string>("calculator");
  const busy = useSubmitting("run_selection");
  const formId = samplingFormIds.run;
  const { onSubmit, field, errors } = useFormCheck(formId, runForm, runFormValues);
  const source = sources.find((s) => s.id === sourceId) ?? sources[0];
  // A database table is drawn in its own database, by a background job, simple random or stratified.
  const inDatabase = source ? !source.isUpload : false;
  const columns = source?.columns ?? [];
  if (!sources.length) {
    return (
      <p className="text-sm text-slate-600">The approved planning version has no approved data source to draw from.</p>
    );
  }
  const columnSelect = (name: string, label: string, optional: boolean, initial?: string | null) => (
    <FormField {...field(name)} label={label}>
      {(control) => (
        <select {...control} defaultValue={initial ?? (optional ? "" : columns[0])} className="input">
          {optional ? <option value="">(none)</option> : null}
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
  /** A text field of the form, its error beside it. */
  const textField = (name: string, label: string, props: Record<string, string> = {}, className?: string) => (
    <FormField {...field(name)} label={label} className={className}>
      {(control) => <input {...control} className="input" {...props} />}
    </FormField>
  );
  return (
    <IntentForm
      intent="run_selection"
      formId={formId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId }}
      className="space-y-4"
      label="Run the selection"
    >
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1 text-sm font-semibold">Population</legend>
        <label className="block text-sm font-medium">
          Data source
          <select
            name="data_source_id"
            value={source?.id ?? ""}
            onChange={(e) => setSourceId(e.currentTarget.value)}
            className="input"
          >
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.rowCount !== null ? ` (${s.rowCount} rows)` : ""}
                {s.isUpload ? "" : " · database table"}
              </option>
            ))}
          </select>
        </label>
        {columnSelect("key_column", "Key column", false, selection?.keyColumn)}
        {columnSelect("amount_column", "Amount column", true, selection?.amountColumn)}
        <div className="flex flex-wrap items-end gap-2 sm:col-span-3">
          {columnSelect("filter_column", "Filter: column", true)}
          <label className="block text-sm font-medium">
            condition
            <select name="filter_op" defaultValue="" className="input">
              {[
                ["", "(no filter)"],
                ["eq", "="],
                ["neq", "≠"],
                ["lt", "<"],
                ["lte", "≤"],
                ["gt", ">"],
                ["gte", "≥"],
                ["is_null", "is empty"],
                ["not_null", "is not empty"],
              ].map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm font-medium">
            value
            <input name="filter_value" className="input w-40" />
          </label>
        </div>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-semibold">Method</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {samplingMethods.map(([value, label]) => (
            <label key={value} className="flex items-center gap-1">
              <input
                type="radio"
                name="method"
                value={value}
                checked={method === value}
                disabled={inDatabase && !DATABASE_METHODS.includes(value)}
                onChange={() => setMethod(value)}
              />
              {label}
            </label>
          ))}
        </div>
        {inDatabase ? (
          <p className="text-xs text-slate-600">
            A database table is drawn in its own database, simple random or stratified; for the other methods upload an
            extract of it in planning.
          </p>
        ) : null}
        {method === "stratified" ? (
          <div className="flex flex-wrap items-end gap-3">
            {columnSelect("stratum_column", "Strata by", false)}
            <label className="block text-sm font-medium">
              Allocation
              <select name="allocation" defaultValue="proportional" className="input">
                <option value="proportional">Proportional to stratum size</option>
                <option value="fixed">Fixed per stratum</option>
              </select>
            </label>
            {textField("fixed_sizes", "Fixed sizes (stratum=count, …)", {
              placeholder: "north=3, south=2",
              className: "input w-56",
            })}
          </div>
        ) : null}
        {method === "targeted" ? (
          rules.length ? (
            <fieldset className="text-sm">
              <legend className="font-medium">Rows failing these rules of the approved profiling run</legend>
              {rules.map((r, index) => (
                <label key={r.id} className="mr-4 inline-flex items-center gap-1">
                  <input
                    type="checkbox"
                    name="rule_id"
                    value={r.id}
                    // The first box takes the focus on the list's error, which each box names.
                    id={index === 0 ? `${formId}-rule_id` : undefined}
                    aria-invalid={errors.rule_id ? true : undefined}
                    aria-describedby={errors.rule_id ? `${formId}-rule_id-error` : undefined}
                  />{" "}
                  {r.name}
                </label>
              ))}
              {errors.rule_id ? (
                <p
                  id={`${formId}-rule_id-error`}
                  className="mt-1 text-xs font-medium text-red-700"
                  data-field-error="rule_id"
                >
                  {errors.rule_id}
                </p>
              ) : null}
            </fieldset>
          ) : (
            <p className="text-sm text-slate-600">
              This cycle report has no approved profiling run to take exceptions from.
            </p>
          )
        ) : null}
        {method === "judgmental" ? (
          <FormField {...field("picks")} label="Picks, one per line as key: reason">
            {(control) => <textarea {...control} rows={4} className="input" placeholder="L00042: largest exposure" />}
          </FormField>
        ) : null}
      </fieldset>

      {method !== "judgmental" ? (
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-semibold">Sample size</legend>
          <div className="flex flex-wrap gap-x-4 text-sm">
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="size_basis"
                value="calculator"
                checked={basis === "calculator"}
                onChange={() => setBasis("calculator")}
              />
              From the calculator
            </label>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="size_basis"
                value="tester_set"
                checked={basis === "tester_set"}
                onChange={() => setBasis("tester_set")}
              />
              Set by me, with a reason
            </label>
          </div>
          {basis === "calculator" ? (
            <div className="flex flex-wrap items-end gap-3 text-sm">
              {textField("confidence", "Confidence (%)", {
                defaultValue: String(calculator.confidence),
                className: "input w-24",
              })}
              {textField("tolerable", "Tolerable rate (%)", {
                defaultValue: String(calculator.tolerable),
                className: "input w-24",
              })}
              {textField("expected", "Expected deviations", {
                defaultValue: String(calculator.expected),
                className: "input w-24",
              })}
              <span className="mb-2 text-slate-600">
                {calculator.size !== null ? `${calculator.size} samples at the calculator's inputs` : null}
              </span>
            </div>
          ) : (
            <div className="flex flex-wrap items-end gap-3 text-sm">
              {textField("size", "Size", { inputMode: "numeric", className: "input w-24" })}
              {textField("size_reason", "Reason for this size", {}, "grow")}
            </div>
          )}
          {method === "targeted" ? (
            <p className="text-xs text-slate-600">Targeted: leave the size empty to take every exception.</p>
          ) : null}
        </fieldset>
      ) : null}

      <div className="flex flex-wrap items-end gap-3">
        {textField("seed", "Seed (empty: a random one, recorded)", { className: "input w-64" })}
        {inDatabase ? (
          <p className="mb-2 text-sm">
            <input type="hidden" name="in_background" value="on" />
            Drawn in the background, in the table&apos;s own database
          </p>
        ) : (
          <label className="mb-2 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="in_background"
              // A new source's size sets the default afresh.
              key={source?.id}
              defaultChecked={(source?.rowCount ?? 0) >= BACKGROUND_DRAW_ROWS}
            />
            Draw in the background (large populations)
          </label>
        )}
        <button type="submit" className="btn-primary mb-0.5" disabled={busy}>
          {busy ? "Drawing…" : selection ? "Draw again" : "Draw the samples"}
        </button>
      </div>
      {selection ? (
        <p className="text-xs text-slate-600">
          Drawing again replaces this draft&apos;s drawn samples; samples carried forward or added by hand stay.
        </p>
      ) : null}
    </IntentForm>
  );
}
