import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/lib/nonce";
import { newCspNonce, securityHeaders } from "~/lib/security-headers.server";

// The app's server (server.mjs) applies the security headers and the origin rule to every response
// before Remix sees the request; it reaches them through the server build's entry module.
export { configuredOrigins, crossSiteRefusal, refusalPage, serverErrorPage } from "~/lib/cross-site.server";
export { newCspNonce, securityHeaders } from "~/lib/security-headers.server";

const ABORT_DELAY = 5_000;

/** What server.mjs hands every request: the nonce its Content-Security-Policy header already names. */
interface SecurityContext {
  cspNonce?: string;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  let nonce = (loadContext as SecurityContext).cspNonce;
  if (!nonce) {
    // Served without server.mjs (another adapter): the document sets its own headers.
    nonce = newCspNonce();
    const https = new URL(request.url).protocol === "https:";
    for (const [name, value] of Object.entries(securityHeaders({ nonce, https }))) responseHeaders.set(name, value);
  }
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(
        new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady: waitForAll ? undefined : ready,
        onAllReady: waitForAll ? ready : undefined,
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while streaming the shell reject above; later ones are logged once here.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
