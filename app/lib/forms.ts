// Forms as one kit: each form has one zod schema, read in the browser (errors beside their fields before anything
// is sent) and on the server (the same errors when JavaScript is off or the page is stale). Field errors come back
// from the action as { formId, fieldErrors } and show beside their fields (components/form-field.tsx); the banner
// is kept for the database's refusals.
import { createContext, type FormEvent, useContext, useEffect, useState } from "react";
import type { z } from "zod";

/** A form's problems by field name, one message each. */
export type FieldErrors = Partial<Record<string, string>>;

/** What an action answers for a form its schema refused. */
export interface FormErrors {
  formId: string;
  fieldErrors: FieldErrors;
}

/** The first message of each field (a problem of the whole form under "form"). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** A form's values as its schema reads them: one value per name (a checkbox is there only when ticked). */
export function formValues(form: FormData): Record<string, FormDataEntryValue> {
  return Object.fromEntries(form);
}

/** The last action's field errors, given to every form of the page; each form takes its own (by formId). */
export const FormErrorsContext = createContext<FormErrors | undefined>(undefined);

/**
 * The browser's half of a form: checks the form's values with its schema on submit, keeps the form from being
 * sent while a field is wrong (focusing the first), and shows the server's errors for this form otherwise.
 */
export function useFormCheck(
  formId: string,
  schema: z.ZodTypeAny,
  read: (form: FormData) => Record<string, unknown> = formValues,
) {
  const answered = useContext(FormErrorsContext);
  const serverErrors = answered?.formId === formId ? answered.fieldErrors : undefined;
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  // A new answer of the server replaces what the browser found.
  useEffect(() => setClientErrors(null), [serverErrors]);
  const errors = clientErrors ?? serverErrors ?? {};
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // The pressed button's name and value are part of what is sent (a decision's "Approve" or "Reject").
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const parsed = schema.safeParse(read(new FormData(event.currentTarget, submitter?.name ? submitter : null)));
    if (parsed.success) {
      setClientErrors(null);
      return;
    }
    event.preventDefault();
    const found = fieldErrorsOf(parsed.error);
    setClientErrors(found);
    const first = Object.keys(found)[0];
    if (first) document.getElementById(`${formId}-${first}`)?.focus();
  }
  /** Props of a FormField for `name`. */
  const field = (name: string) => ({ formId, name, error: errors[name] });
  return { formId, errors, onSubmit, field };
}
