import { Form } from "@remix-run/react";
import type { z } from "zod";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { closeRequestForm, commentForm, requestFormIds, returnRequestForm } from "~/lib/requests-forms";

/**
 * A move on a request that says why or what (return and close with a reason, a comment), checked by its schema in
 * the browser and on the server, the error beside its field.
 */
function TextMove({
  formId,
  schema,
  intent,
  name,
  label,
  button,
  multiline,
  busy,
  className,
}: {
  formId: string;
  schema: z.ZodTypeAny;
  intent: string;
  name: string;
  label: string;
  button: string;
  multiline?: boolean;
  busy: boolean;
  className: string;
}) {
  const { onSubmit, field } = useFormCheck(formId, schema);
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className={className} aria-label={formLabels[formId]}>
      <input type="hidden" name="form_id" value={formId} />
      <FormField {...field(name)} label={label} className={multiline ? "grow" : undefined}>
        {(control) =>
          multiline ? (
            <textarea {...control} rows={2} maxLength={4000} required className="input" />
          ) : (
            <input {...control} required className="input" />
          )
        }
      </FormField>
      <button type="submit" name="intent" value={intent} className="btn-secondary" disabled={busy}>
        {button}
      </button>
    </Form>
  );
}

const formLabels: Record<string, string> = {
  [requestFormIds.return]: "Return to the data provider",
  [requestFormIds.close]: "Close the request",
  [requestFormIds.comment]: "Add a comment",
};

export function ReturnForm({ busy }: { busy: boolean }) {
  return (
    <TextMove
      formId={requestFormIds.return}
      schema={returnRequestForm}
      intent="return"
      name="reason"
      label="Reason for returning"
      button="Return"
      busy={busy}
      className="flex items-start gap-2"
    />
  );
}

export function CloseForm({ busy }: { busy: boolean }) {
  return (
    <TextMove
      formId={requestFormIds.close}
      schema={closeRequestForm}
      intent="close"
      name="reason"
      label="Reason for closing"
      button="Close"
      busy={busy}
      className="mt-4 flex items-start gap-2"
    />
  );
}

export function CommentForm({ busy }: { busy: boolean }) {
  return (
    <TextMove
      formId={requestFormIds.comment}
      schema={commentForm}
      intent="comment"
      name="body"
      label="Comment"
      button="Comment"
      multiline
      busy={busy}
      className="mt-3 flex items-start gap-2"
    />
  );
}
