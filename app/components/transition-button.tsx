import { Form, useNavigation } from "@remix-run/react";
import { FieldError, fieldControl } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { type Intent, reasonFormId, transitionForm } from "~/lib/workflow-forms";

/** One workflow transition as a form of its own, so it also works without JavaScript. */
export function TransitionButton({
  intent,
  id,
  label,
  name,
}: {
  intent: Intent;
  id: number;
  label: string;
  name: string;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    navigation.formData.get("id") === String(id);
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn-secondary" aria-label={`${label} ${name}`} disabled={busy}>
        {busy ? `${label}…` : label}
      </button>
    </Form>
  );
}

/**
 * An admin's transition that needs a reason (skipping or reopening a phase): a disclosure with the reason and the
 * button, a form of its own, so it also works without JavaScript. A blank reason is said beside the field, by the
 * browser before anything is sent and by the server (the same schema, lib/workflow-forms.ts) otherwise.
 */
export function ReasonForm({ intent, id, label, name }: { intent: Intent; id: number; label: string; name: string }) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    navigation.formData.get("id") === String(id);
  const formId = reasonFormId(intent, id);
  const { errors, onSubmit } = useFormCheck(formId, transitionForm);
  const control = fieldControl(formId, "reason", errors.reason);
  return (
    <details className="mt-3 text-sm" open={errors.reason ? true : undefined}>
      <summary className="cursor-pointer rounded text-blue-700 underline focus-ring">
        {label} {name}…
      </summary>
      <Form
        method="post"
        className="mt-2 flex flex-wrap items-end gap-2"
        noValidate
        onSubmit={onSubmit}
        aria-label={`${label} ${name}`}
      >
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="form_id" value={formId} />
        <div className="flex min-w-[16rem] flex-1 flex-col">
          <label htmlFor={control.id} className="text-xs font-medium text-slate-600">
            Why {label.toLowerCase()} {name}? (kept with the phase and in the audit trail)
          </label>
          <textarea {...control} required maxLength={2000} rows={2} className="input" />
          <FieldError formId={formId} name="reason" error={errors.reason} />
        </div>
        <button type="submit" className="btn-secondary" aria-label={`${label} ${name}`} disabled={busy}>
          {busy ? `${label}…` : label}
        </button>
      </Form>
    </details>
  );
}
