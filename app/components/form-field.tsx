import type { ReactNode } from "react";

/** What a field's control needs to be tied to its label, hint and error (aria-invalid, aria-describedby). */
export interface FieldControl {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
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
  const id = `${formId}-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({ id, name, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700" data-field-error={name}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
