/** Formatting shared by every page: people and times as the server renders them. */

export interface Person {
  full_name: string | null;
  email: string;
}

/** A person's name, or their email when they gave none. */
export const personName = (person: Person | null): string | null => (person ? person.full_name || person.email : null);

/** A time in UTC, rendered on the server, so the server's and the browser's renderings of a page agree. */
export function formatTime(value: string | null): string | null {
  if (!value) return null;
  return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Who did something and when, for a version's history or an item's decision. */
export interface Stamp {
  by: string | null;
  at: string | null;
}

export const stampOf = (by: Person | null, at: string | null): Stamp => ({ by: personName(by), at: formatTime(at) });

/** A size limit as the upload function says it: "50 MB", "1.5 MB" (binary megabytes; ingest/guard.ts). */
export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** A count with its noun, singular for one: "1 row", "2 rows", "0 rows"; the plural defaults to noun + "s". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : plural}`;
}
