import type { LoaderFunctionArgs } from "@remix-run/node";
import { previewKind } from "~/lib/testing";
import { checkedEvidence, inlineEvidence } from "~/lib/testing-evidence.server";

/**
 * A test case's evidence file, checked (access, SHA-256) by checkedEvidence, then handed over through a signed URL of
 * a minute, or, for an image preview (`?inline=1`), served by the app itself so the page's content policy allows it.
 */
export async function loader(args: LoaderFunctionArgs) {
  const evidence = await checkedEvidence(args);
  if (new URL(args.request.url).searchParams.get("inline") === "1" && previewKind(evidence.contentType) === "image") {
    return inlineEvidence(evidence, evidence.contentType!);
  }
  return await evidence.download();
}
