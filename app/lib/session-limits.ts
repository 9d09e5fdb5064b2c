/** A duration as Supabase's config writes it ("12h", "30m", "1h30m", "90s") or plain seconds, in seconds. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const parts = [...value.matchAll(/(\d+)(h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== value) return undefined;
  const unit = { h: 3600, m: 60, s: 1 } as const;
  return parts.reduce((sum, [, amount, u]) => sum + Number(amount) * unit[u as keyof typeof unit], 0);
}

/** Why a session ended, from the auth server's refusal of its refresh (GoTrue's `session_expired`). */
export type SessionEnd = "inactivity" | "timebox";

export function sessionEndOf(error: { code?: string; message: string } | null | undefined): SessionEnd | null {
  if (!error || error.code !== "session_expired") return null;
  return /inactivity/i.test(error.message) ? "inactivity" : "timebox";
}

/** What the login page says after a session ended. */
export function sessionEndMessage(end: string | null): string | null {
  if (end === "inactivity")
    return "You were signed out because your session was inactive for too long. Please sign in again.";
  if (end === "timebox")
    return "You were signed out because your session reached its maximum length. Please sign in again.";
  return null;
}
