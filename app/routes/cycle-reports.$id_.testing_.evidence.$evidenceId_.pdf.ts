import type { LoaderFunctionArgs } from "@remix-run/node";
import { previewKind } from "~/lib/testing";
import { checkedEvidence, inlineEvidence } from "~/lib/testing-evidence.server";

/**
 * A PDF evidence file shown in the test case's side panel: the same checks as its download (read as the user, 404 to
 * anyone who may not; 409 when the bytes no longer match the recorded SHA-256), then its bytes served inline by the
 * app. Only a file recorded as application/pdf whose bytes begin as a PDF does is served this way; any other file is downloaded as usual. This path
 * alone may be framed, and only by the app itself (see framedByAppOnly in security-headers.server.ts).
 */
export async function loader(args: LoaderFunctionArgs) {
  const evidence = await checkedEvidence(args);
  const isPdf =
    previewKind(evidence.contentType) === "pdf" && evidence.bytes.subarray(0, 5).toString("latin1") === "%PDF-";
  if (!isPdf) return await evidence.download();
  return inlineEvidence(evidence, "application/pdf");
}
