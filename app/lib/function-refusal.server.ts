// Edge functions answer a refusal as `{ code, message, details?, hint? }` with the HTTP status, `code` being the
// stable reason (docs/database.md, "Error codes"). The app's banners read the database's coded refusals
// (`{ code: "PTxyz", message, details: <reason>, hint }`), so a function's answer is turned into one of those.
import type { DatabaseError } from "./refusal";

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const reason = (value: unknown): string | null =>
  typeof value === "string" && /^[a-z][a-z0-9_]*$/.test(value) ? value : null;

/** The coded refusal for a function's error status and its (already parsed) JSON body, if any. */
export function codedRefusal(status: number, body: unknown): DatabaseError {
  const fields = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  return {
    code: `PT${status}`,
    message: text(fields.message) ?? "The request was refused.",
    // The stable reason is `code` (a coded database refusal repeats it in `details`); a constraint error's
    // `details` is PostgreSQL's own detail text, not a reason.
    details: reason(fields.code) ?? text(fields.details),
    hint: text(fields.hint),
  };
}

/** Reads a function's error response (its body once) and answers the coded refusal with the response's status. */
export async function functionRefusal(response: Response): Promise<DatabaseError> {
  const body: unknown = await response.json().catch(() => null);
  return codedRefusal(response.status, body);
}
