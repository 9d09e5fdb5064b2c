/**
 * Where to go after signing in. Only a path on this site is accepted, so a crafted link cannot send the
 * user elsewhere: `//evil.example`, `/\evil.example` and `https://…` fall back, and so does any
 * whitespace or control character (browsers drop tabs and newlines from URLs, turning `/\t/x` into `//x`).
 */
export function safeRedirect(to: FormDataEntryValue | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  if (to.includes("\\") || [...to].some((char) => char.charCodeAt(0) <= 0x20)) return fallback;
  // Going back to the login page after signing in would only show the form again.
  if (to === "/login" || to.startsWith("/login?")) return fallback;
  return to;
}
