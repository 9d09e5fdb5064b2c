import { useRevalidator } from "@remix-run/react";
import { useContext, useState, type FormEvent } from "react";
import { FormField } from "~/components/form-field";
import { RefusalBanner } from "~/components/refusal-banner";
import { formatBytes } from "~/lib/format";
import { tooLargeUpload } from "~/lib/planning-refusal";
import { type FormErrors, FormErrorsContext, useFormCheck } from "~/lib/forms";
import { uploadForm, uploadFormId } from "~/lib/planning-forms";
import type { Refusal } from "~/lib/refusal";

type Upload = { state: "idle" } | { state: "sending"; percent: number } | { state: "failed"; refusal: Refusal };

const failedUpload: Refusal = {
  title: "The upload failed",
  message: "The connection was interrupted. Please try again.",
  hint: null,
  reason: null,
};

/** The form's values as uploadForm reads them in the browser: the name typed and the file chosen. */
const uploadValues = (form: FormData) => ({ name: form.get("name") ?? "", file: form.get("file") });

/**
 * Uploads a CSV as a data source. With JavaScript the file is sent as the request body, so the browser reports
 * upload progress; without it the same address takes a plain multipart form. One schema (uploadForm) checks the
 * name and that a file is chosen in the browser and on the server, each error beside its field; the banner in
 * the form is the upload function's refusal of the file (over the limit, a malformed line, an empty file).
 */
export function UploadForm({ action, maxBytes }: { action: string; maxBytes: number }) {
  // The page's field errors (an upload without JavaScript comes back by the address), or the upload's own answer.
  const page = useContext(FormErrorsContext);
  const [answered, setAnswered] = useState<FormErrors | undefined>(undefined);
  return (
    <FormErrorsContext.Provider value={answered ?? page}>
      <UploadFields action={action} maxBytes={maxBytes} onAnswer={setAnswered} />
    </FormErrorsContext.Provider>
  );
}

function UploadFields({
  action,
  maxBytes,
  onAnswer,
}: {
  action: string;
  maxBytes: number;
  onAnswer: (errors: FormErrors | undefined) => void;
}) {
  const revalidator = useRevalidator();
  const [upload, setUpload] = useState<Upload>({ state: "idle" });
  const { onSubmit, field } = useFormCheck(uploadFormId, uploadForm, uploadValues);

  function send(event: FormEvent<HTMLFormElement>) {
    onSubmit(event);
    // A wrong field is said beside it, and nothing is sent.
    if (event.defaultPrevented) return;
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return;
    event.preventDefault();
    // Refused before a byte is sent, in the function's own words (its refusal of a larger file is 413 too_large).
    if (file.size > maxBytes) {
      setUpload({ state: "failed", refusal: tooLargeUpload(maxBytes) });
      return;
    }
    const name = (form.elements.namedItem("name") as HTMLInputElement).value.trim() || file.name;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${action}&${new URLSearchParams({ name })}`);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setUpload({ state: "sending", percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        form.reset();
        onAnswer(undefined);
        setUpload({ state: "idle" });
        revalidator.revalidate();
        return;
      }
      const body = (() => {
        try {
          return JSON.parse(xhr.responseText) as { refusal?: Refusal; formErrors?: FormErrors };
        } catch {
          return null;
        }
      })();
      onAnswer(body?.formErrors);
      setUpload(body?.formErrors ? { state: "idle" } : { state: "failed", refusal: body?.refusal ?? failedUpload });
    };
    xhr.onerror = () => setUpload({ state: "failed", refusal: failedUpload });
    onAnswer(undefined);
    setUpload({ state: "sending", percent: 0 });
    xhr.send(file);
  }

  const sending = upload.state === "sending";
  return (
    <form
      method="post"
      action={action}
      encType="multipart/form-data"
      noValidate
      onSubmit={send}
      aria-label="Upload a CSV file"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        {/* Before the file, so the server reads it first from a multipart body. */}
        <FormField {...field("name")} label="Name" hint="Defaults to the file name.">
          {(control) => <input {...control} maxLength={255} className="input" />}
        </FormField>
        <FormField
          {...field("file")}
          label="CSV file"
          hint={`Up to ${formatBytes(maxBytes)}, UTF-8, with a header row.`}
        >
          {(control) => <input {...control} type="file" accept=".csv,text/csv" required className="input" />}
        </FormField>
      </div>
      <button type="submit" className="btn-secondary" disabled={sending}>
        {sending ? "Uploading…" : "Upload"}
      </button>
      {sending ? (
        <div className="flex items-center gap-2 text-sm">
          <progress max={100} value={upload.percent} aria-label="Upload progress" className="h-2 w-64" />
          <span className="tabular-nums">{upload.percent}%</span>
          {upload.percent === 100 ? <span className="text-slate-600">Loading the rows…</span> : null}
        </div>
      ) : null}
      {upload.state === "failed" ? <RefusalBanner refusal={upload.refusal} /> : null}
    </form>
  );
}
