/**
 * The one origin rule for requests that change state. Every state change in the app is a POST (loaders
 * only read), so:
 * - GET, HEAD and OPTIONS pass;
 * - POST passes when it comes from the app's own pages: its `Origin` names the app's host (the host the
 *   browser addressed, `X-Forwarded-Host` first, as Remix compares them) or one of `APP_ORIGINS`; without
 *   an `Origin`, `Sec-Fetch-Site` must say `same-origin` or `none`; a request with neither header comes
 *   from no browser and so cannot be forged by another site;
 * - any other method (PUT, PATCH, DELETE…) is refused: no route of the app takes one;
 * - a POST that passes must carry a body the app reads: a form (urlencoded or multipart) or a CSV streamed by
 *   the upload forms; anything else (JSON, plain text, none) is refused with 415 before an action fails on it.
 */
export type CrossSiteRefusal = {
  status: 403 | 405 | 415;
  reason: "cross_site_request" | "method_not_allowed" | "unsupported_media_type";
  title: string;
  message: string;
};

export interface RequestFacts {
  method: string;
  header(name: string): string | null | undefined;
}

const readMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function ownHost(request: RequestFacts): string | undefined {
  const forwarded = request.header("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.header("host") || undefined;
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Origins configured as the app's own besides the one it is addressed by (`APP_ORIGINS`, comma separated). */
export function configuredOrigins(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, "").toLowerCase())
    .filter(Boolean);
}

/** Why the request is refused, or null when it may go on to the app. */
export function crossSiteRefusal(request: RequestFacts, allowedOrigins: string[] = []): CrossSiteRefusal | null {
  const method = request.method.toUpperCase();
  if (readMethods.has(method)) return null;
  if (method !== "POST") {
    return {
      status: 405,
      reason: "method_not_allowed",
      title: "Method not allowed",
      message: "The app changes data only through its own forms.",
    };
  }
  if (!fromOwnSite(request, allowedOrigins)) return refusedAsCrossSite;
  return hasReadableBody(request) ? null : refusedAsNotAForm;
}

function fromOwnSite(request: RequestFacts, allowedOrigins: string[]): boolean {
  const origin = request.header("origin");
  if (origin) {
    const host = originHost(origin);
    const own = ownHost(request);
    if (host && own && host.toLowerCase() === own.toLowerCase()) return true;
    return allowedOrigins.includes(origin.toLowerCase());
  }
  const site = request.header("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

const bodyTypes = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/csv"]);

function hasReadableBody(request: RequestFacts): boolean {
  const type = request.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type !== undefined && bodyTypes.has(type);
}

const refusedAsNotAForm: CrossSiteRefusal = {
  status: 415,
  reason: "unsupported_media_type",
  title: "Request refused",
  message: "RegTest changes data only through its own forms, and this request did not come from one.",
};

const refusedAsCrossSite: CrossSiteRefusal = {
  status: 403,
  reason: "cross_site_request",
  title: "Request refused",
  message:
    "This form was sent from another site, so RegTest did not act on it. If you meant to do this, open RegTest and do it there.",
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The page a refused request gets: plain HTML, no script, a way back into the app. */
export function refusalPage(refusal: Pick<CrossSiteRefusal, "title" | "message"> & { reason: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(refusal.title)} · RegTest</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #0f172a">
<h1 data-reason="${refusal.reason}">${escapeHtml(refusal.title)}</h1>
<p>${escapeHtml(refusal.message)}</p>
<p><a href="/">Back to RegTest</a></p>
</body>
</html>
`;
}

/**
 * What a request that fails before reaching the app gets (a malformed URL refused by the static file handler,
 * an error in the server's own middleware): the same plain page, so it keeps the app's headers, and no detail.
 */
export function serverErrorPage(status: number): string {
  return status < 500
    ? refusalPage({ reason: "bad_request", title: "Bad request", message: "RegTest could not read this request." })
    : refusalPage({
        reason: "server_error",
        title: "Something went wrong",
        message: "RegTest could not answer this request. Try again in a moment.",
      });
}
