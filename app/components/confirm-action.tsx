import { Form } from "@remix-run/react";

/**
 * A destructive action behind a confirmation that works without JavaScript: the first button only opens the
 * question, and the action is taken by its "Yes" button, which names what is lost.
 */
export function ConfirmAction({
  label,
  question,
  confirm,
  hidden,
  className,
}: {
  /** The opening button's text, e.g. "Remove". */
  label: string;
  /** What the user is asked, e.g. "Remove the rule amount in range from the draft?". */
  question: string;
  /** The confirming button's text, e.g. "Remove amount in range". */
  confirm: string;
  /** The form's fields (intent, ids). */
  hidden: Record<string, string>;
  className?: string;
}) {
  return (
    <details className={`group ${className ?? ""}`}>
      <summary className="inline cursor-pointer list-none rounded text-xs font-normal text-red-700 underline focus-ring">
        {label}
      </summary>
      <Form
        method="post"
        preventScrollReset
        className="mt-1 space-y-1 rounded border border-red-200 bg-red-50 p-2 text-xs font-normal text-red-900"
      >
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <p className="break-words">{question}</p>
        <button type="submit" className="rounded bg-red-700 px-2 py-0.5 font-medium text-white focus-ring">
          {confirm}
        </button>
      </Form>
    </details>
  );
}
