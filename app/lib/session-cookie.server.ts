interface Cookie {
  name: string;
  value: string;
}

interface StoredSession {
  access_token?: string;
  user?: { email?: unknown };
}

const chunkIndex = (name: string) => Number(/\.(\d+)$/.exec(name)?.[1] ?? -1);
const decodeBase64Url = (text: string) =>
  Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");

/** The session @supabase/ssr keeps in the `sb-…-auth-token` cookie (chunked as `.0`, `.1`… when long). */
function storedSession(cookies: Cookie[]): StoredSession | undefined {
  const parts = cookies
    .filter((c) => c.value && /-auth-token(\.\d+)?$/.test(c.name))
    .sort((a, b) => chunkIndex(a.name) - chunkIndex(b.name));
  if (!parts.length) return undefined;
  try {
    let raw = parts.map((c) => c.value).join("");
    if (raw.startsWith("base64-")) raw = decodeBase64Url(raw.slice("base64-".length));
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null ? (parsed as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}

/** The session's sign-in time (seconds): the `amr` timestamp of its access token, else the token's `iat`. */
export function sessionStart(cookies: Cookie[]): number | undefined {
  try {
    const token = storedSession(cookies)?.access_token ?? "";
    const claims = JSON.parse(decodeBase64Url(token.split(".")[1] ?? "")) as {
      iat?: number;
      amr?: { timestamp?: number }[];
    };
    const stamps = (claims.amr ?? []).map((a) => a.timestamp).filter((t): t is number => typeof t === "number");
    return stamps.length ? Math.min(...stamps) : claims.iat;
  } catch {
    return undefined;
  }
}

/**
 * How long the session cookie may live: until the session's absolute limit (its sign-in plus
 * SESSION_TIMEBOX), never the 400 days @supabase/ssr sets by default. The cookies are the ones being
 * written, right after the auth server issued their tokens.
 */
export function sessionCookieMaxAge(
  cookies: Cookie[],
  timeboxSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): number {
  const started = sessionStart(cookies);
  if (started === undefined) return timeboxSeconds;
  return Math.max(0, Math.min(timeboxSeconds, started + timeboxSeconds - nowSeconds));
}

/** The email of the session a request's cookies carry. Unverified: only for the sign-in event log. */
export function cookieSessionEmail(cookies: Cookie[]): string | null {
  const email = storedSession(cookies)?.user?.email;
  return typeof email === "string" ? email : null;
}

const loopbackNames = new Set(["localhost", "[::1]"]);

/** A loopback host (plain-HTTP local development), where cookies need not be Secure. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return loopbackNames.has(host) || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host);
}
