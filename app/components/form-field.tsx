import type { ReactNode } from "react";

/** What a field's control needs to be tied to its label, hint and error (aria-invalid, aria-describedby). */
export interface FieldControl {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** The control's props for field `name` of form `formId` (ids as FormField gives them), for a control labelled otherwise. */
export function fieldControl(formId: string, name: string, error?: string, hint = false): FieldControl {
  const id = `${formId}-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined };
}

/** A field's error, named by its control's aria-describedby (fieldControl); nothing while the field is right. */
export function FieldError({ formId, name, error }: { formId: string; name: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={`${formId}-${name}-error`} className="mt-1 text-xs font-medium text-red-700" data-field-error={name}>
      {error}
    </p>
  );
}

/**
 * A labelled form field with its error beside it: the control gets `aria-invalid` while the field has an error
 * and `aria-describedby` naming the hint and the error, so a screen reader says why it was refused.
 */
export function FormField({
  formId,
  name,
  label,
  error,
  hint,
  className,
  children,
}: {
  /** Keeps ids unique when one page holds several forms with the same fields. */
  formId: string;
  name: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const control = fieldControl(formId, name, error, !!hint);
  return (
    <div className={className}>
      <label htmlFor={control.id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children(control)}
      {hint ? (
        <p id={`${control.id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError formId={formId} name={name} error={error} />
    </div>
  );
}
