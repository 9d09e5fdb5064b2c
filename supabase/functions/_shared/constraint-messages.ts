// Sentences for the constraint errors people meet in forms, from PostgreSQL's own detail text, shared by the
// edge functions (http-errors.ts) and the app (refusal.ts), so a taken name reads the same wherever it is met.

const keyDetail = /^Key \((.+)\)=\((.*)\) already exists\.?$/s;

/**
 * "The name “loans” is already taken here; choose another." from a unique violation's detail
 * (`Key (version_id, name)=(…, loans) already exists.`): the key's last column is the one a person typed, the
 * others (version, attribute) say where. Without a readable detail: a sentence without the value.
 */
export function alreadyTakenMessage(detail: string | null | undefined): string {
  const match = keyDetail.exec(detail ?? "");
  if (match) {
    const columns = match[1]!.split(", ");
    const values = match[2]!.split(", ");
    const column = columns[columns.length - 1]!.replace(/_/g, " ").replace(/\bpde\b/, "PDE");
    // A value with ", " in it cannot be told apart from the key's other values: then it is not quoted.
    if (values.length === columns.length) {
      const value = values[values.length - 1]!;
      const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
      return `The ${column} “${shown}” is already taken here; choose another.`;
    }
    return `That ${column} is already taken here; choose another.`;
  }
  return "That name is already taken here; choose another.";
}
