import { randomBytes } from "node:crypto";

/** A fresh nonce for one response's Content-Security-Policy: 128 random bits, base64. */
export function newCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of every response. Scripts run only from the app's origin or with this
 * response's nonce (Remix's inline hydration and scroll-restoration scripts carry it); nothing may frame
 * the app; forms post only to the app. Style attributes stay allowed (progress bars set their width),
 * `<style>` elements and inline scripts do not.
 */
export function contentSecurityPolicy(nonce: string, framedBy: "none" | "self" = "none"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors '${framedBy}'`,
  ].join("; ");
}

/** Browser features the app never uses, switched off for it and for anything it might embed. */
export const permissionsPolicy = [
  "accelerometer=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
].join(", ");

/** One year, subdomains included: what HSTS preload lists and bank reviews ask for. */
export const strictTransportSecurity = "max-age=31536000; includeSubDomains";

/**
 * The one kind of response the app lets be framed, and only by its own pages: a PDF evidence file previewed in the
 * test case's side panel (an <iframe> of /cycle-reports/:id/testing/evidence/:evidenceId/pdf). Every other path,
 * documents included, keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`. The pages' own policy needs no
 * change to embed it: frame-src falls back to default-src 'self'.
 */
export function framedByAppOnly(pathname: string): boolean {
  return /^\/cycle-reports\/\d+\/testing\/evidence\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/pdf$/i.test(
    pathname,
  );
}

export interface SecurityHeaderOptions {
  nonce: string;
  /** The request's path: the one path framedByAppOnly names may be framed by the app itself. */
  pathname?: string;
  /** The request reached the app over HTTPS (directly or through a trusted proxy): HSTS is sent. */
  https: boolean;
}

/** The security headers every response of the app carries (documents, data, assets and refusals). */
export function securityHeaders({ nonce, https, pathname }: SecurityHeaderOptions): Record<string, string> {
  const framable = pathname !== undefined && framedByAppOnly(pathname);
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce, framable ? "self" : "none"),
    "X-Frame-Options": framable ? "SAMEORIGIN" : "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": permissionsPolicy,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
  if (https) headers["Strict-Transport-Security"] = strictTransportSecurity;
  return headers;
}
