/**
 * How deeply a JSON request body may nest. PostgreSQL's JSON parser recurses and gives up around 20,000 levels
 * (`54001 stack depth limit exceeded`), and JavaScript's `JSON.stringify` overflows its stack a little past 2,000:
 * no request body this product accepts comes near either, so deeper bodies are refused before anything parses them.
 */
export const maxJsonDepth = 512;

/**
 * True when the JSON text nests arrays and objects deeper than `limit`. One pass over the characters, without
 * recursion, so the check itself cannot overflow; brackets inside strings do not count.
 */
export function jsonTooDeep(text: string, limit = maxJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** True when any string of the parsed JSON value (a key or a value) holds U+0000, which PostgreSQL text cannot store. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (typeof v === "object" && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes("\u0000")) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
