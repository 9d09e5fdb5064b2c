/** A run of characters of one class: `A` upper-case letter, `a` lower-case letter, `9` digit, or a literal. */
interface Run {
  cls: string;
  length: number;
}

function classOf(char: string): string {
  if (char >= "A" && char <= "Z") return "A";
  if (char >= "a" && char <= "z") return "a";
  if (char >= "0" && char <= "9") return "9";
  return `=${char}`;
}

/** `GB123456` → A{2} 9{6}. */
export function shapeOf(value: string): Run[] {
  const runs: Run[] = [];
  for (const char of value) {
    const cls = classOf(char);
    const last = runs[runs.length - 1];
    if (last?.cls === cls) last.length++;
    else runs.push({ cls, length: 1 });
  }
  return runs;
}

const CLASS_REGEX: Record<string, string> = { A: "[A-Z]", a: "[a-z]", "9": "\\d" };
const escape = (char: string) => char.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/**
 * The one regex that every value fits, when the values share a shape: the same sequence of character
 * classes, with run lengths fixed or ranging `{min,max}`. Undefined when fewer than 3 distinct values are
 * given, the shapes differ, or the shape says little (no digits and some run of varying length, e.g. words).
 */
export function detectPattern(values: string[]): string | undefined {
  const distinct = [...new Set(values)];
  if (distinct.length < 3) return undefined;
  const shapes = distinct.map(shapeOf);
  const first = shapes[0]!;
  if (first.length === 0) return undefined;
  const sameSequence = shapes.every((s) => s.length === first.length && s.every((run, i) => run.cls === first[i]!.cls));
  if (!sameSequence) return undefined;
  const runs = first.map((run, i) => {
    const lengths = shapes.map((s) => s[i]!.length);
    return { cls: run.cls, min: Math.min(...lengths), max: Math.max(...lengths) };
  });
  const informative = runs.some((r) => r.cls === "9") || runs.every((r) => r.min === r.max);
  if (!informative) return undefined;
  const body = runs
    .map(({ cls, min, max }) => {
      const atom = CLASS_REGEX[cls] ?? escape(cls.slice(1));
      if (min === max) return min === 1 ? atom : `${atom}{${min}}`;
      return `${atom}{${min},${max}}`;
    })
    .join("");
  return `^${body}$`;
}
