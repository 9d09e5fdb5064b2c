import { useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { RefusalBanner } from "~/components/refusal-banner";
import type { Refusal } from "~/lib/refusal";

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
 * form is sent by XMLHttpRequest so the browser reports the upload's progress.
 */
export function ResponseForm({
  requestId,
  returned,
  sourceItems,
}: {
  requestId: number;
  returned: boolean;
  /** The items a data source may supply (a data request's attributes); null when the request takes no source. */
  sourceItems: { id: number; attribute: string }[] | null;
}) {
  const revalidator = useRevalidator();
  const [sending, setSending] = useState<Sending>({ state: "idle" });

  function send(event: FormEvent<HTMLFormElement>) {
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
        setSending({ state: "idle" });
        revalidator.revalidate();
        return;
      }
      let refusal = interrupted;
      try {
        refusal = (JSON.parse(xhr.responseText) as { refusal?: Refusal }).refusal ?? interrupted;
      } catch {
        // not JSON: keep the generic message
      }
      setSending({ state: "failed", refusal });
    };
    xhr.onerror = () => setSending({ state: "failed", refusal: interrupted });
    setSending({ state: "sending", percent: 0 });
    xhr.send(new FormData(form));
  }

  const busy = sending.state === "sending";
  return (
    <form
      method="post"
      action={`/requests/${requestId}`}
      encType="multipart/form-data"
      onSubmit={send}
      aria-label="Your response"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 className="text-lg font-semibold tracking-tight">{returned ? "Answer the return" : "Your response"}</h2>
      <input type="hidden" name="intent" value="respond" />
      <label className="block text-sm font-medium">
        Answer
        <textarea name="body" rows={4} maxLength={20000} className="input" />
      </label>
      <label className="block text-sm font-medium">
        Files{" "}
        <span className="font-normal text-slate-500">(CSV, PDF, text, JSON, PNG, JPEG, Excel, Word; 25 MiB each)</span>
        <input
          name="file"
          type="file"
          multiple
          accept=".csv,.pdf,.txt,.json,.png,.jpg,.jpeg,.xlsx,.xls,.docx"
          className="input"
        />
      </label>
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
          <label className="block text-sm font-medium">
            Source name <span className="font-normal text-slate-500">(optional)</span>
            <input name="sourceName" maxLength={255} className="input" />
          </label>
          <label className="block text-sm font-medium">
            CSV file
            <input name="sourceFile" type="file" accept=".csv,text/csv" className="input" />
          </label>
          <details>
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
                <label key={name} className="block text-sm font-medium">
                  {label}
                  <input name={name} className="input" inputMode={name === "dbPort" ? "numeric" : undefined} />
                </label>
              ))}
              <label className="block text-sm font-medium">
                Password
                <input name="dbPassword" type="password" autoComplete="off" className="input" />
              </label>
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
