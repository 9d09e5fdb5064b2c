/**
 * The form an action was posted. The server lets through only form bodies and the upload forms' CSV
 * (app/lib/cross-site.server.ts); a body that still cannot be read as a form (a CSV sent to a page that takes
 * forms, a broken multipart body) is refused with 400 instead of failing the action with a 500.
 */
export async function postedForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("RegTest could not read this form.", { status: 400, statusText: "Bad Request" });
  }
}
