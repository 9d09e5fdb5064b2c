import { Form } from "@remix-run/react";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { newRequestsForm, newRequestsValues, requestFormIds } from "~/lib/requests-forms";
import type { requestableItems } from "~/lib/requests.server";

type Requestable = NonNullable<Awaited<ReturnType<typeof requestableItems>>>;

/**
 * New requests for the chosen in-scope attributes (and approved samples), for one data provider by a due date.
 * One schema (newRequestsForm) checks it in the browser and on the server, each error beside its field.
 */
export function NewRequestsForm({
  requestable,
  asksSamples,
  started,
  busy,
}: {
  requestable: Requestable;
  asksSamples: boolean;
  started: boolean;
  busy: boolean;
}) {
  const formId = requestFormIds.create;
  const { onSubmit, field, errors } = useFormCheck(formId, newRequestsForm, newRequestsValues);
  /** A list of boxes: the first takes the focus, each says the list's error. */
  const choice = (name: string, index: number) => ({
    id: index === 0 ? `${formId}-${name}` : undefined,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${formId}-${name}-error` : undefined,
  });
  const listError = (name: string) =>
    errors[name] ? (
      <p id={`${formId}-${name}-error`} className="mt-1 text-xs font-medium text-red-700" data-field-error={name}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <Form
      method="post"
      noValidate
      onSubmit={onSubmit}
      aria-label="New requests"
      className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 className="text-lg font-semibold tracking-tight">New requests</h2>
      {!started ? <p className="text-sm text-slate-600">Start the phase to send requests.</p> : null}
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="form_id" value={formId} />
      <input type="hidden" name="phaseId" value={requestable.phaseId ?? ""} />
      <fieldset>
        <legend className="text-sm font-medium">In-scope attributes</legend>
        {requestable.attributes.length ? (
          <ul className="mt-2 grid gap-1 sm:grid-cols-2">
            {requestable.attributes.map((a, index) => (
              <li key={a.id}>
                <label className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="attribute"
                    value={a.id}
                    className="mt-1"
                    {...choice("attribute", index)}
                  />
                  <span>
                    {a.name}
                    {a.definition ? <span className="block text-xs text-slate-500">{a.definition}</span> : null}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-slate-600">No attribute is in scope yet.</p>
        )}
        {listError("attribute")}
      </fieldset>
      {asksSamples ? (
        <fieldset>
          <legend className="text-sm font-medium">Approved samples (each chosen sample × each chosen attribute)</legend>
          {requestable.samples.length ? (
            <ul className="mt-2 grid gap-1 sm:grid-cols-4">
              {requestable.samples.map((s, index) => (
                <li key={s.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="sample" value={s.id} {...choice("sample", index)} />
                    {s.key}
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">No approved sample yet.</p>
          )}
          {listError("sample")}
        </fieldset>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <FormField {...field("assignee")} label="Data provider">
          {(control) => (
            <select {...control} required className="input" defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              {requestable.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField {...field("dueDate")} label="Due date">
          {(control) => <input {...control} type="date" required className="input" />}
        </FormField>
        <FormField {...field("title")} label="Title" hint="Optional.">
          {(control) => <input {...control} maxLength={200} className="input" />}
        </FormField>
      </div>
      <FormField {...field("instructions")} label="Instructions">
        {(control) => <textarea {...control} rows={3} maxLength={10000} className="input" />}
      </FormField>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Grouping</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="grouping" value="each" defaultChecked /> One request per item
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="grouping" value="one" /> One request for all chosen items
        </label>
      </fieldset>
      <div className="flex gap-3">
        <button type="submit" name="send" value="yes" className="btn-primary" disabled={busy}>
          Create and send
        </button>
        <button type="submit" className="btn-secondary" disabled={busy}>
          Save as drafts
        </button>
      </div>
    </Form>
  );
}
