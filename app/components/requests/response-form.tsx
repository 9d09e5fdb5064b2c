import { useRevalidator } from "@remix-run/react";
import { useContext, useState, type FormEvent } from "react";
import { FormField } from "~/components/form-field";
import { RefusalBanner } from "~/components/refusal-banner";
import { type FormErrors, FormErrorsContext, useFormCheck } from "~/lib/forms";
import type { Refusal } from "~/lib/refusal";
import { requestFormIds, responseForm, responseValues } from "~/lib/requests-forms";

type Sending = { state: "idle" } | { state: "sending"; percent: number } | { state: "failed"; refusal: Refusal };

const interrupted: Refusal = {
  title: "The response was not sent",
  message: "The connection was interrupted. Please try again.",
  hint: null,
  reason: null,
};

/**
 * The assignee's response: a text and files, and for a data request a data source (a CSV loaded as a table, or a
 * database table) for one of its items. Without JavaScript it is a plain multipart form; with it, the same
 * form is sent by XMLHttpRequest so the browser reports the upload's progress. One schema (responseForm) checks it
 * in the browser and on the server, each error beside its field; the banner in the form is the server's refusal.
 */
export function ResponseForm(props: ResponseFormProps) {
  // The page's field errors (a response sent without JavaScript), or the last XMLHttpRequest's answer.
  const page = useContext(FormErrorsContext);
  const [answered, setAnswered] = useState<FormErrors | undefined>(undefined);
  return (
    <FormErrorsContext.Provider value={answered ?? page}>
      <ResponseFields {...props} onAnswer={setAnswered} />
    </FormErrorsContext.Provider>
  );
}

interface ResponseFormProps {
  requestId: number;
  returned: boolean;
  /** The items a data source may supply (a data request's attributes); null when the request takes no source. */
  sourceItems: { id: number; attribute: string }[] | null;
}

function ResponseFields({
  requestId,
  returned,
  sourceItems,
  onAnswer,
}: ResponseFormProps & { onAnswer: (errors: FormErrors | undefined) => void }) {
  const revalidator = useRevalidator();
  const [sending, setSending] = useState<Sending>({ state: "idle" });
  const formId = requestFormIds.respond;
  const { onSubmit, field } = useFormCheck(formId, responseForm, responseValues);

  function send(event: FormEvent<HTMLFormElement>) {
    onSubmit(event);
    // A wrong field is said beside it, and nothing is sent.
    if (event.defaultPrevented) return;
    event.preventDefault();
    const form = event.currentTarget;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setSending({ state: "sending", percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        form.reset();
        onAnswer(undefined);
        setSending({ state: "idle" });
        revalidator.revalidate();
        return;
      }
      let answer: { refusal?: Refusal; formErrors?: FormErrors } = {};
      try {
        answer = JSON.parse(xhr.responseText) as typeof answer;
      } catch {
        // not JSON: keep the generic message
      }
      onAnswer(answer.formErrors);
      setSending(answer.formErrors ? { state: "idle" } : { state: "failed", refusal: answer.refusal ?? interrupted });
    };
    xhr.onerror = () => setSending({ state: "failed", refusal: interrupted });
    onAnswer(undefined);
    setSending({ state: "sending", percent: 0 });
    xhr.send(new FormData(form));
  }

  const busy = sending.state === "sending";
  // The database table's fields fold away; they open on an error of theirs.
  const databaseWrong = ["dbHost", "dbPort", "dbDatabase", "dbSchema", "dbTable", "dbUser"].some((n) => field(n).error);
  return (
    <form
      method="post"
      action={`/requests/${requestId}`}
      encType="multipart/form-data"
      noValidate
      onSubmit={send}
      aria-label="Your response"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 className="text-lg font-semibold tracking-tight">{returned ? "Answer the return" : "Your response"}</h2>
      <input type="hidden" name="intent" value="respond" />
      <input type="hidden" name="form_id" value={formId} />
      <FormField {...field("body")} label="Answer">
        {(control) => <textarea {...control} rows={4} maxLength={20000} className="input" />}
      </FormField>
      <FormField {...field("file")} label="Files" hint="CSV, PDF, text, JSON, PNG, JPEG, Excel, Word; 25 MiB each.">
        {(control) => (
          <input
            {...control}
            type="file"
            multiple
            accept=".csv,.pdf,.txt,.json,.png,.jpg,.jpeg,.xlsx,.xls,.docx"
            className="input"
          />
        )}
      </FormField>
      {sourceItems ? (
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium">Data source</legend>
          <p className="text-xs text-slate-600">
            The data itself, as a CSV file loaded as a table, or a table of your database the tester's rules can read.
            Name the columns as you were asked (the attribute&apos;s column keeps its name).
          </p>
          {sourceItems.length > 1 ? (
            <label className="block text-sm font-medium">
              For
              <select name="sourceItem" className="input">
                {sourceItems.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.attribute}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <FormField {...field("sourceName")} label="Source name" hint="Optional.">
            {(control) => <input {...control} maxLength={255} className="input" />}
          </FormField>
          <FormField {...field("sourceFile")} label="CSV file">
            {(control) => <input {...control} type="file" accept=".csv,text/csv" className="input" />}
          </FormField>
          <details open={databaseWrong || undefined}>
            <summary className="cursor-pointer text-sm font-medium">Or a database table</summary>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {(
                [
                  ["dbHost", "Host"],
                  ["dbPort", "Port"],
                  ["dbDatabase", "Database"],
                  ["dbSchema", "Schema"],
                  ["dbTable", "Table"],
                  ["dbUser", "User"],
                ] as const
              ).map(([name, label]) => (
                <FormField key={name} {...field(name)} label={label}>
                  {(control) => (
                    <input {...control} className="input" inputMode={name === "dbPort" ? "numeric" : undefined} />
                  )}
                </FormField>
              ))}
              <FormField {...field("dbPassword")} label="Password">
                {(control) => <input {...control} type="password" autoComplete="off" className="input" />}
              </FormField>
            </div>
          </details>
        </fieldset>
      ) : null}
      <button type="submit" className="btn-primary" disabled={busy}>
        {busy ? "Sending…" : "Send response"}
      </button>
      {busy ? (
        <div className="flex items-center gap-2 text-sm">
          <progress max={100} value={sending.percent} aria-label="Upload progress" className="h-2 w-64" />
          <span className="tabular-nums">{sending.percent}%</span>
        </div>
      ) : null}
      {sending.state === "failed" ? <RefusalBanner refusal={sending.refusal} /> : null}
    </form>
  );
}
