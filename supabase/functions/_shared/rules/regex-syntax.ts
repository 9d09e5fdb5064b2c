// PostgreSQL's regular-expression syntax (the advanced REs of ~ and ~*), checked the way the database's regex
// compiler checks it, so that a pattern is refused when a rule is saved instead of failing when it runs. The
// database compiles the same pattern in private.regex_pattern_error; tests/rules/regex-syntax.test.ts holds
// both to the same verdict. Messages are PostgreSQL's own.

const MESSAGES = {
  paren: "parentheses () not balanced",
  bracket: "brackets [] not balanced",
  brace: "braces {} not balanced",
  count: "invalid repetition count(s)",
  range: "invalid character range",
  ctype: "invalid character class",
  collate: "invalid collating element",
  escape: "invalid escape \\ sequence",
  backref: "invalid backreference number",
  quantifier: "quantifier operand invalid",
} as const;

/** Embedded options and `***` directors switch PostgreSQL to other dialects; rules use `case_insensitive` or `~*`. */
const DIALECT_SWITCH = /^(\*\*\*|\(\?[^:=!<#])/;
const DIALECT_MESSAGE =
  "embedded options (?…) and ***: directors are not supported; ask for a case-insensitive match with case_insensitive, or ~* in an expression";

/** Character class names PostgreSQL knows inside brackets ([[:alpha:]]). */
const CLASS_NAMES = new Set([
  "alnum",
  "alpha",
  "ascii",
  "blank",
  "cntrl",
  "digit",
  "graph",
  "lower",
  "print",
  "punct",
  "space",
  "upper",
  "xdigit",
  "word",
]);

/** Collating element names PostgreSQL knows besides single characters ([[.space.]]). */
const COLLATING_NAMES = new Set(
  (
    "NUL SOH STX ETX EOT ENQ ACK BEL alert BS backspace HT tab LF newline VT vertical-tab FF form-feed CR " +
    "carriage-return SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC IS4 FS IS3 GS IS2 RS IS1 US space " +
    "exclamation-mark quotation-mark number-sign dollar-sign percent-sign ampersand apostrophe left-parenthesis " +
    "right-parenthesis asterisk plus-sign comma hyphen hyphen-minus period full-stop slash solidus zero one two " +
    "three four five six seven eight nine colon semicolon less-than-sign equals-sign greater-than-sign " +
    "question-mark commercial-at left-square-bracket backslash reverse-solidus right-square-bracket circumflex " +
    "circumflex-accent underscore low-line grave-accent left-brace left-curly-bracket vertical-line right-brace " +
    "right-curly-bracket tilde DEL"
  ).split(" "),
);

const MAX_REPEAT = 255;
const MAX_CHAR = 0x7ffffffe;

class RegexSyntaxError extends Error {}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
// Under the C.UTF-8 locale PostgreSQL classifies characters for the regex lexer as ASCII only (\é is a
// plain é). A database under another locale may find a non-ASCII letter after a backslash invalid: it then
// refuses the pattern when the rule is saved.
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** What an escape stands for: a character (its code point), a class, a constraint or a backreference. */
type EscapeKind = number | "class" | "constraint" | { backref: number };

/** The characters of the one-letter escapes, by letter. */
const ESCAPED_CHARS: Record<string, number> = { a: 7, b: 8, B: 92, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11 };

class Checker {
  private at = 0;
  /** Capturing groups opened so far, and those already closed (a backreference needs a closed one). */
  private opened = 0;
  private readonly closed = new Set<number>();

  constructor(private readonly chars: string[]) {}

  check(): void {
    this.regex(false, false);
  }

  private fail(message: keyof typeof MESSAGES): never {
    throw new RegexSyntaxError(MESSAGES[message]);
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.at + offset];
  }

  /** `(?#…)` comments vanish wherever a token may start. */
  private skipComments(): void {
    while (this.peek() === "(" && this.peek(1) === "?" && this.peek(2) === "#") {
      this.at += 3;
      while (this.at < this.chars.length && this.peek() !== ")") this.at++;
      if (this.at < this.chars.length) this.at++;
    }
  }

  /** Branches separated by `|`, up to the end or (inside a group) its `)`. */
  private regex(inGroup: boolean, inLookaround: boolean): void {
    for (;;) {
      this.skipComments();
      const c = this.peek();
      if (c === undefined) {
        if (inGroup) this.fail("paren");
        return;
      }
      if (c === "|") {
        this.at++;
      } else if (c === ")") {
        if (!inGroup) this.fail("paren");
        this.at++;
        return;
      } else {
        this.piece(inLookaround);
      }
    }
  }

  /** One atom and its quantifier, or a constraint (which takes none). */
  private piece(inLookaround: boolean): void {
    const c = this.peek()!;
    if (c === "*" || c === "+" || c === "?" || (c === "{" && isDigit(this.peek(1)))) this.fail("quantifier");
    this.at++;
    let quantifiable = true;
    if (c === "(") {
      quantifiable = this.group(inLookaround);
    } else if (c === "[") {
      quantifiable = this.bracket();
    } else if (c === "^" || c === "$") {
      quantifiable = false;
    } else if (c === "\\") {
      const kind = this.escape();
      if (kind === "constraint") quantifiable = false;
      else if (typeof kind === "object" && (inLookaround || !this.closed.has(kind.backref))) this.fail("backref");
    }
    if (!quantifiable) return;
    this.skipComments();
    const q = this.peek();
    if (q === "*" || q === "+" || q === "?") {
      this.at++;
      if (this.peek() === "?") this.at++;
    } else if (q === "{" && isDigit(this.peek(1))) {
      this.at++;
      this.bound();
    }
  }

  /** After `(`: a group, which is quantifiable, or a lookaround constraint, which is not. */
  private group(inLookaround: boolean): boolean {
    if (this.peek() !== "?") {
      // Inside a lookaround, parentheses do not capture.
      const number = inLookaround ? 0 : ++this.opened;
      this.regex(true, inLookaround);
      if (number) this.closed.add(number);
      return true;
    }
    this.at++;
    const kind = this.chars[this.at++];
    if (kind === ":") {
      this.regex(true, inLookaround);
      return true;
    }
    if (kind === "<") {
      const next = this.chars[this.at++];
      if (next !== "=" && next !== "!") this.fail("quantifier");
    } else if (kind !== "=" && kind !== "!") {
      this.fail("quantifier");
    }
    this.regex(true, true);
    return false;
  }

  /** After a `{` followed by a digit: m, m, or m,n up to 255, then `}`. */
  private bound(): void {
    const min = this.count();
    let max = min;
    if (this.peek() === ",") {
      this.boundStep();
      max = isDigit(this.peek()) ? this.count() : Infinity;
    }
    if (min > max || this.peek() !== "}") this.fail("count");
    this.at++;
    if (this.peek() === "?") this.at++;
  }

  /** Past one character of a bound. PostgreSQL's lexer reads one token ahead, so it judges the next one now. */
  private boundStep(): void {
    this.at++;
    const c = this.peek();
    if (c === undefined) this.fail("brace");
    if (!isDigit(c) && c !== "," && c !== "}") this.fail("count");
  }

  private count(): number {
    let n = 0;
    while (isDigit(this.peek()) && n < MAX_REPEAT) {
      n = n * 10 + Number(this.peek());
      this.boundStep();
    }
    if (isDigit(this.peek()) || n > MAX_REPEAT) this.fail("count");
    return n;
  }

  /** After a backslash. */
  private escape(): EscapeKind {
    const c = this.chars[this.at++];
    if (c === undefined) this.fail("escape");
    if (!isAlnum(c)) return c.codePointAt(0)!;
    if (c in ESCAPED_CHARS) return ESCAPED_CHARS[c]!;
    switch (c) {
      case "c": {
        const next = this.chars[this.at++];
        if (next === undefined) this.fail("escape");
        return next.codePointAt(0)! & 0o37;
      }
      case "d":
      case "D":
      case "s":
      case "S":
      case "w":
      case "W":
        return "class";
      case "A":
      case "Z":
      case "m":
      case "M":
      case "y":
      case "Y":
        return "constraint";
      case "u":
        return this.hexDigits(4, 4);
      case "U":
        return this.hexDigits(8, 8);
      case "x":
        return this.hexDigits(1, 255);
      case "0":
        return this.octal();
      default:
        if (c >= "1" && c <= "9") return this.backrefOrOctal(c);
        return this.fail("escape");
    }
  }

  /** `\1`…`\9` are backreferences; more digits are one if they number a group opened so far, else octal. */
  private backrefOrOctal(first: string): EscapeKind {
    const start = this.at;
    let digits = first;
    while (isDigit(this.peek()) && digits.length < 255) digits += this.chars[this.at++];
    const number = Number(digits);
    if (digits.length === 1 || (number > 0 && number <= this.opened)) return { backref: number };
    this.at = start;
    if (first === "8" || first === "9") this.fail("escape");
    return this.octal();
  }

  /** Up to three octal digits in all (the first one already read): the character's code point. */
  private octal(): number {
    let value = Number(this.chars[this.at - 1]);
    for (let n = 1; n < 3 && /^[0-7]$/.test(this.peek() ?? ""); n++) {
      const next = value * 8 + Number(this.peek());
      if (next > 0xff) break;
      value = next;
      this.at++;
    }
    return value;
  }

  /** min to max hexadecimal digits: the character's code point. */
  private hexDigits(min: number, max: number): number {
    let value = 0;
    let count = 0;
    while (count < max && /^[0-9a-fA-F]$/.test(this.peek() ?? "")) {
      value = (value * 16 + parseInt(this.chars[this.at++]!, 16)) >>> 0;
      count++;
    }
    if (count < min || value > MAX_CHAR) this.fail("escape");
    return value;
  }

  /** After `[`: `[[:<:]]` and `[[:>:]]` are word-boundary constraints, anything else a bracket expression. */
  private bracket(): boolean {
    const ahead = this.chars.slice(this.at, this.at + 6).join("");
    if (ahead === "[:<:]]" || ahead === "[:>:]]") {
      this.at += 6;
      return false;
    }
    if (this.peek() === "^") this.at++;
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("bracket");
      if (c === "]" && !first) {
        this.at++;
        return true;
      }
      this.bracketPart(first);
      first = false;
    }
  }

  /** One member of a bracket expression: a character, a range, a class or a collating element. */
  private bracketPart(first: boolean): void {
    const start = this.member(first);
    if (start === "range") this.fail("range");
    if (!this.isRange()) return;
    if (start !== null && typeof start !== "number") this.fail("range");
    this.at++;
    const end = this.member(false, true);
    if (typeof end !== "number" && end !== null) this.fail("range");
    this.lookAhead();
    if (start !== null && end !== null && start > end) this.fail("range");
  }

  /** A `-` that makes a range: not first in the brackets and not just before the closing `]`. */
  private isRange(): boolean {
    return this.peek() === "-" && this.peek(1) !== "]";
  }

  /**
   * One element: a character's code point, null for a collating element with a name (its value is not
   * compared here), "class" for a class, "range" for a stray `-`.
   */
  private member(first: boolean, rangeEnd = false): number | null | "class" | "range" {
    const c = this.peek();
    if (c === undefined) this.fail("bracket");
    if (c === "-" && !first && this.peek(1) !== "]" && !rangeEnd) return "range";
    this.at++;
    if (c === "[") {
      const kind = this.peek();
      if (kind === undefined) this.fail("bracket");
      if (kind === "." || kind === "=" || kind === ":") {
        // A class ends no range.
        if (rangeEnd && kind !== ".") this.fail("range");
        this.at++;
        const name = this.until(kind);
        this.lookAhead();
        if (kind === ":") {
          if (!CLASS_NAMES.has(name)) this.fail("ctype");
          return "class";
        }
        const value = this.collatingElement(name);
        return kind === "=" ? "class" : value;
      }
      return c.codePointAt(0)!;
    }
    if (c === "\\") {
      const kind = this.escape();
      if (kind === "class") return rangeEnd ? this.fail("range") : "class";
      if (typeof kind !== "number") this.fail("escape");
      return kind;
    }
    return c.codePointAt(0)!;
  }

  /** The characters of a `[.x.]`, `[=x=]` or `[:x:]` up to its closing `.]`, `=]` or `:]`. */
  private until(kind: string): string {
    const start = this.at;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("bracket");
      if (c === kind && this.peek(1) === "]") {
        const name = this.chars.slice(start, this.at).join("");
        this.at += 2;
        return name;
      }
      this.at++;
    }
  }

  /**
   * PostgreSQL lexes the next token before it looks up a `[.x.]`, `[=x=]` or `[:x:]` name or orders a range's
   * ends, so an error in that token is the one reported.
   */
  private lookAhead(): void {
    const saved = this.at;
    const c = this.peek();
    if (c === undefined || (c === "[" && this.peek(1) === undefined)) this.fail("bracket");
    if (c === "\\") {
      this.at++;
      const kind = this.escape();
      if (typeof kind !== "number" && kind !== "class") this.fail("escape");
    }
    this.at = saved;
  }

  private collatingElement(name: string): number | null {
    const chars = [...name];
    if (chars.length === 1) return chars[0]!.codePointAt(0)!;
    if (!COLLATING_NAMES.has(name)) this.fail("collate");
    return null;
  }
}

/** The most copies nested counted repetitions may make of one part of a pattern (PostgreSQL's limit for one count). */
export const MAX_NESTED_REPETITION = 255;
const COST_CAP = 1_000_000;

/**
 * How many copies of its most repeated part a pattern that compiles asks for: along every nesting of groups,
 * the product of the counts of `{m}`, `{m,}` (m) and `{m,n}` (n) repetitions; `*`, `+` and `?` count once.
 * PostgreSQL's compiler copies a counted part once per count, and matching costs about as much as the copies
 * (`^([a-z0-9]{1,50}){1,50}$` makes 2,500 and costs 2,000 times `^[a-z0-9]*$`). Mirrors
 * private.regex_pattern_cost, token for token.
 */
export function regexPatternCost(pattern: string): number {
  const c = [...pattern];
  const n = c.length;
  const stack = [1];
  let i = 0;
  const skipComments = () => {
    while (c[i] === "(" && c[i + 1] === "?" && c[i + 2] === "#") {
      i += 3;
      while (i < n && c[i] !== ")") i++;
      i++;
    }
  };
  while (i < n) {
    skipComments();
    if (i >= n) break;
    const ch = c[i]!;
    let value: number;
    if (ch === "(") {
      if (c[i + 1] === "?") {
        i += 2;
        if (c[i] === "<") i++;
        i++;
      } else {
        i++;
      }
      stack.push(1);
      continue;
    } else if (ch === ")") {
      value = stack.length > 1 ? stack.pop()! : 1;
      i++;
    } else if (ch === "[") {
      i++;
      if (c[i] === "^") i++;
      if (c[i] === "]") i++;
      while (i < n && c[i] !== "]") {
        if (c[i] === "[" && (c[i + 1] === ":" || c[i + 1] === "." || c[i + 1] === "=")) {
          const kind = c[i + 1];
          i += 2;
          while (i < n && !(c[i] === kind && c[i + 1] === "]")) i++;
          i += 2;
        } else if (c[i] === "\\") {
          i += 2;
        } else {
          i++;
        }
      }
      i++;
      value = 1;
    } else if (ch === "\\") {
      i += c[i + 1] === "c" ? 3 : 2;
      value = 1;
    } else if (ch === "|" || ch === "^" || ch === "$") {
      i++;
      continue;
    } else {
      i++;
      value = 1;
    }
    skipComments();
    let count = 1;
    if (c[i] === "*" || c[i] === "+" || c[i] === "?") {
      i++;
    } else if (c[i] === "{" && isDigit(c[i + 1])) {
      i++;
      let low = 0;
      while (isDigit(c[i])) low = Math.min(low * 10 + Number(c[i++]), COST_CAP);
      let high = low;
      if (c[i] === ",") {
        i++;
        if (isDigit(c[i])) {
          high = 0;
          while (isDigit(c[i])) high = Math.min(high * 10 + Number(c[i++]), COST_CAP);
        }
      }
      i++;
      count = Math.max(high, 1);
    }
    if (c[i] === "?") i++;
    const top = stack.length - 1;
    stack[top] = Math.max(stack[top]!, Math.min(value * count, COST_CAP));
  }
  return Math.max(...stack);
}

/** The refusal of a pattern whose nested counts make more copies than one count may. */
export function regexCostError(pattern: string): string | null {
  const cost = regexPatternCost(pattern);
  return cost > MAX_NESTED_REPETITION
    ? `nested repetition counts repeat a part of the pattern ${cost} times (at most ${MAX_NESTED_REPETITION}): too expensive to match; use * or + inside a counted group, or one count`
    : null;
}

/**
 * Why PostgreSQL would refuse a pattern (its message, or the dialect note), or why it is refused as too
 * expensive (regexCostError); null when it can be used.
 */
export function regexPatternError(pattern: string): string | null {
  if (DIALECT_SWITCH.test(pattern)) return DIALECT_MESSAGE;
  try {
    new Checker([...pattern]).check();
  } catch (error) {
    if (error instanceof RegexSyntaxError) return `invalid regular expression: ${error.message}`;
    throw error;
  }
  return regexCostError(pattern);
}
