import { Form, useNavigation } from "@remix-run/react";
import type { FormEvent, ReactNode } from "react";

/**
 * A form posting one intent to the workspace (its current address, so filters and page stay), with hidden
 * fields named as the kit names them (`version_id`, `phase_id`, `item`, `item_id`). It works without
 * JavaScript; with it, the page keeps its scroll position after the action's redirect.
 */
export function IntentForm({
  intent,
  hidden = {},
  className,
  children,
  label,
  id,
  encType,
  formId,
  onSubmit,
}: {
  intent: string;
  hidden?: Record<string, string | number>;
  className?: string;
  children: ReactNode;
  label?: string;
  id?: string;
  /** multipart/form-data for a form that uploads a file. */
  encType?: "multipart/form-data";
  /** A form checked by its schema (lib/forms.ts): posted as form_id, so the server's field errors come back to it. */
  formId?: string;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
}) {
  return (
    <Form
      method="post"
      preventScrollReset
      className={className}
      aria-label={label}
      id={id}
      encType={encType}
      noValidate={formId ? true : undefined}
      onSubmit={onSubmit}
    >
      <input type="hidden" name="intent" value={intent} />
      {formId ? <input type="hidden" name="form_id" value={formId} /> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** Whether the page is submitting this intent (for this item, when given). */
export function useSubmitting(intent: string, itemId?: string): boolean {
  const navigation = useNavigation();
  const form = navigation.formData;
  return (
    navigation.state === "submitting" &&
    form?.get("intent") === intent &&
    (itemId === undefined || form.get("item_id") === itemId)
  );
}
