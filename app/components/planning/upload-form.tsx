import { useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { RefusalBanner } from "~/components/refusal-banner";
import { formatBytes } from "~/lib/format";
import { tooLargeUpload } from "~/lib/planning-refusal";
import type { Refusal } from "~/lib/refusal";

type Upload = { state: "idle" } | { state: "sending"; percent: number } | { state: "failed"; refusal: Refusal };

const failedUpload: Refusal = {
  title: "The upload failed",
  message: "The connection was interrupted. Please try again.",
  hint: null,
  reason: null,
};

/**
 * Uploads a CSV as a data source. With JavaScript the file is sent as the request body, so the browser reports
 * upload progress; without it the same address takes a plain multipart form.
 */
export function UploadForm({ action, maxBytes }: { action: string; maxBytes: number }) {
  const revalidator = useRevalidator();
  const [upload, setUpload] = useState<Upload>({ state: "idle" });

  function send(event: FormEvent<HTMLFormElement>) {
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
        setUpload({ state: "idle" });
        revalidator.revalidate();
        return;
      }
      const body = (() => {
        try {
          return JSON.parse(xhr.responseText) as { refusal?: Refusal };
        } catch {
          return null;
        }
      })();
      setUpload({ state: "failed", refusal: body?.refusal ?? failedUpload });
    };
    xhr.onerror = () => setUpload({ state: "failed", refusal: failedUpload });
    setUpload({ state: "sending", percent: 0 });
    xhr.send(file);
  }

  const sending = upload.state === "sending";
  return (
    <form
      method="post"
      action={action}
      encType="multipart/form-data"
      onSubmit={send}
      aria-label="Upload a CSV file"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        {/* Before the file, so the server reads it first from a multipart body. */}
        <label className="block text-sm font-medium">
          Name <span className="font-normal text-slate-500">(defaults to the file name)</span>
          <input name="name" className="input" />
        </label>
        <label className="block text-sm font-medium">
          CSV file
          <input
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className="input"
            aria-describedby="upload-limit"
          />
          <span id="upload-limit" className="mt-1 block text-xs font-normal text-slate-500">
            Up to {formatBytes(maxBytes)}, UTF-8, with a header row.
          </span>
        </label>
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
