import { json, redirect, unstable_parseMultipartFormData, type ActionFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/lib/auth.server";
import { env } from "~/lib/env.server";
import { cycleReportIdOf, isUuid, workspacePath } from "~/lib/route-params";
import { uploadCsv, type SourceCallResult } from "~/lib/planning-sources.server";
import { invalidForm } from "~/lib/planning-refusal";
import { fieldErrorsOf } from "~/lib/forms";
import { uploadForm, uploadFormId } from "~/lib/planning-forms";

// Uploads pass through the app rather than going from the browser to the function: the session stays in
// HTTP-only cookies, and the body is streamed on as it arrives (docs/decisions/006-planning-workspace.md).

/** Turns a multipart part's chunks into the stream the function reads. */
function streamOf(data: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const chunks = data[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/**
 * The upload of a multipart form: the function's answer, or the form's own problem by the schema (the name comes
 * before the file, so it is checked before a byte of the file is sent on).
 */
async function fromMultipart(
  request: Request,
  upload: (name: string, body: ReadableStream<Uint8Array>) => Promise<SourceCallResult>,
): Promise<SourceCallResult | "no_file" | "invalid_name"> {
  let name = "";
  let result: SourceCallResult | "invalid_name" | null = null;
  await unstable_parseMultipartFormData(request, async ({ name: field, filename, data }) => {
    if (field === "file" && filename) {
      const checked = uploadForm.safeParse({ name, file: true });
      if (!checked.success) {
        result = "invalid_name";
        for await (const _chunk of data); // read to its end, so the rest of the body is parsed
        return undefined;
      }
      result = await upload(checked.data.name || filename, streamOf(data));
      return undefined;
    }
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of data) text += decoder.decode(chunk, { stream: true });
    if (field === "name") name = text;
    return text;
  });
  return (result as SourceCallResult | "invalid_name" | null) ?? "no_file";
}

/**
 * POST ?version=…&name=… with the CSV as the body (the page's upload with progress) answers JSON;
 * a multipart form (the same upload without JavaScript) is answered with a redirect back to the workspace.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const url = new URL(request.url);
  const versionId = url.searchParams.get("version") ?? "";
  const multipart = request.headers.get("Content-Type")?.startsWith("multipart/form-data") ?? false;
  const { user, supabase, headers } = await getOptionalUser(request);
  if (!user) {
    if (multipart)
      throw redirect(`/login?${new URLSearchParams({ redirectTo: workspacePath(id, "planning") })}`, { headers });
    return json({ refusal: invalidForm("Your session has ended. Sign in again.") }, { status: 401, headers });
  }
  if (!isUuid(versionId)) {
    return json({ refusal: invalidForm("Reload the page and try again.") }, { status: 400, headers });
  }
  const upload = (name: string, body: ReadableStream<Uint8Array>) =>
    uploadCsv(supabase, {
      versionId,
      name,
      body,
      contentLength: multipart ? null : request.headers.get("Content-Length"),
      maxBytes: env.UPLOAD_MAX_BYTES,
    });

  if (multipart) {
    const result = await fromMultipart(request, upload);
    const back = new URL(workspacePath(id, "planning", { version: versionId }), url);
    // The form's own problems come back beside their fields (uploadFieldErrors); the function's as the banner.
    if (typeof result === "string") back.searchParams.set("upload_error", result);
    else if (!result.ok) back.searchParams.set("upload_error", result.refusal.reason ?? "failed");
    throw redirect(`${back.pathname}${back.search}`, { headers });
  }
  const checked = uploadForm.safeParse({ name: url.searchParams.get("name") ?? "", file: request.body ? true : {} });
  if (!checked.success || !checked.data.name) {
    const fieldErrors = checked.success ? { file: "Choose a CSV file to upload." } : fieldErrorsOf(checked.error);
    return json(
      {
        refusal: invalidForm(Object.values(fieldErrors).join(" ")),
        formErrors: { formId: uploadFormId, fieldErrors },
      },
      { status: 400, headers },
    );
  }
  const result = await upload(checked.data.name, request.body!);
  return result.ok
    ? json({ source: result.body }, { status: 201, headers })
    : json({ refusal: result.refusal }, { status: result.status, headers });
}
