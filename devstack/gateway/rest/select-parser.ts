import { pgrstError, queryParamError } from "./errors.ts";

/** PGRST123, as PostgREST answers any aggregate while `db-aggregates-enabled` is off (Supabase's default). */
function aggregatesNotAllowed() {
  return pgrstError(400, "PGRST123", "Use of aggregate functions is not allowed");
}

export interface JsonStep {
  arrow: "->" | "->>";
  key: string;
}

/** A column reference with an optional JSON path (`data->a->>b`). */
export interface FieldRef {
  name: string;
  jsonPath: JsonStep[];
}

export type SelectItem =
  | { kind: "star" }
  | { kind: "field"; field: FieldRef; alias?: string; cast?: string }
  | {
      kind: "embed";
      name: string;
      alias?: string;
      hint?: string;
      join?: "inner" | "left";
      spread: boolean;
      children: SelectItem[];
    };

/** Types a select cast may name: one identifier or one of SQL's multi-word type names, optionally an array. */
const castPattern =
  /^(?:[a-z_][a-z0-9_]*|double precision|character varying|bit varying|timestamp with(?:out)? time zone|time with(?:out)? time zone)(?:\[\])?$/i;

/** Aliases end up as quoted SQL identifiers, so they are kept to plain characters. */
const aliasPattern = /^[\p{L}\p{N}_$ -]+$/u;

/**
 * How many levels of embedded resources one `select` may nest. Each level is a lateral join evaluated for every
 * row of the level above, so depth multiplies a query's cost; the product itself needs two.
 */
export const maxEmbedDepth = 8;
/** How many embedded resources one `select` may name in all, at any depth. */
export const maxEmbeds = 32;
/** How many items (columns, `*`, embeds) one level of a `select` may list; PostgreSQL's own limit is 1,664. */
export const maxSelectItems = 1000;

/** What one `select` has used of its limits so far. */
interface SelectBudget {
  embeds: number;
}

/** A tiny cursor over one query parameter, reporting errors the way PostgREST's parser does. */
export class Cursor {
  pos = 0;
  constructor(
    readonly input: string,
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.input.length;
  }
  peek(n = 1): string {
    return this.input.slice(this.pos, this.pos + n);
  }
  eat(token: string): boolean {
    if (this.input.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }
  skipSpaces(): void {
    while (this.input[this.pos] === " ") this.pos++;
  }
  fail(expecting: string): never {
    const found = this.done ? "end of input" : JSON.stringify(this.input[this.pos]);
    throw queryParamError(this.what, this.input, this.pos + 1, `unexpected ${found} expecting ${expecting}`);
  }
  expect(token: string): void {
    if (!this.eat(token)) this.fail(JSON.stringify(token));
  }

  /** A plain or double-quoted identifier. */
  name(stopChars = ',()!:"-.'): string {
    this.skipSpaces();
    if (this.eat('"')) {
      let out = "";
      while (!this.done && this.peek() !== '"') {
        if (this.peek() === "\\" && this.pos + 1 < this.input.length) this.pos++;
        out += this.input[this.pos++];
      }
      this.expect('"');
      return out;
    }
    const start = this.pos;
    while (!this.done && !stopChars.includes(this.input[this.pos]!)) {
      // A hyphen is part of a name unless it starts a JSON arrow.
      if (this.input[this.pos] === "-" && this.input[this.pos + 1] === ">") break;
      this.pos++;
    }
    const name = this.input.slice(start, this.pos).trim();
    if (!name) this.fail("field name");
    return name;
  }

  /** A field name with an optional JSON path. */
  field(stopChars?: string): FieldRef {
    const name = this.name(stopChars);
    const jsonPath: JsonStep[] = [];
    while (this.peek(2) === "->") {
      const arrow = this.eat("->>") ? "->>" : ((this.pos += 2), "->");
      jsonPath.push({ arrow, key: this.name(stopChars) });
    }
    return { name, jsonPath };
  }
}

/** Parses PostgREST's `select` parameter: columns, aliases, casts, JSON paths and embedded resources. */
export function parseSelect(input: string): SelectItem[] {
  const cursor = new Cursor(input, "select parameter");
  const items = parseItems(cursor, 0, { embeds: 0 });
  if (!cursor.done) cursor.fail('"," or end of input');
  return items;
}

/** The items of one level; `depth` is the number of embeds around them (0 at the top). */
function parseItems(cursor: Cursor, depth: number, budget: SelectBudget): SelectItem[] {
  const items: SelectItem[] = [];
  cursor.skipSpaces();
  if (cursor.done || (depth > 0 && cursor.peek() === ")")) return items;
  for (;;) {
    if (items.length >= maxSelectItems) {
      throw queryParamError(
        cursor.what,
        cursor.input,
        cursor.pos + 1,
        `more than ${maxSelectItems} items in one level`,
      );
    }
    items.push(parseItem(cursor, depth, budget));
    cursor.skipSpaces();
    if (!cursor.eat(",")) return items;
  }
}

function parseItem(cursor: Cursor, depth: number, budget: SelectBudget): SelectItem {
  cursor.skipSpaces();
  if (cursor.eat("*")) return { kind: "star" };
  if (cursor.eat("...")) {
    const name = cursor.name();
    const embed = parseEmbedRest(cursor, name, undefined, depth, budget);
    if (embed?.kind !== "embed") return cursor.fail('"("');
    return { ...embed, spread: true };
  }
  let alias: string | undefined;
  let field = cursor.field();
  if (cursor.peek() === ":" && cursor.peek(2) !== "::") {
    cursor.pos++;
    if (field.jsonPath.length > 0) cursor.fail("field name");
    alias = field.name;
    if (!aliasPattern.test(alias)) cursor.fail("alias made of letters, digits, spaces, '_', '$' or '-'");
    field = cursor.field();
  }
  // `amount.sum()`: an aggregate, which Supabase leaves disabled (db-aggregates-enabled = false).
  if (/^\.(?:sum|avg|max|min|count)\(\s*\)/.test(cursor.input.slice(cursor.pos))) throw aggregatesNotAllowed();
  if (field.jsonPath.length === 0) {
    const embed = parseEmbedRest(cursor, field.name, alias, depth, budget);
    // `count()` on its own is the count aggregate, not an embed.
    if (embed && embed.name === "count" && embed.children.length === 0 && !embed.hint && !embed.join) {
      throw aggregatesNotAllowed();
    }
    if (embed) return embed;
  }
  let cast: string | undefined;
  if (cursor.eat("::")) {
    const start = cursor.pos;
    while (!cursor.done && !",)".includes(cursor.peek())) cursor.pos++;
    cast = cursor.input.slice(start, cursor.pos).trim();
    if (!castPattern.test(cast)) {
      cursor.pos = start;
      cursor.fail("type name");
    }
  }
  return { kind: "field", field, alias, cast };
}

function parseEmbedRest(
  cursor: Cursor,
  name: string,
  alias: string | undefined,
  depth: number,
  budget: SelectBudget,
): Extract<SelectItem, { kind: "embed" }> | undefined {
  const start = cursor.pos;
  let hint: string | undefined;
  let join: "inner" | "left" | undefined;
  while (cursor.eat("!")) {
    const word = cursor.name();
    if (word === "inner" || word === "left") join = word;
    else if (hint === undefined) hint = word;
    else cursor.fail('"("');
  }
  cursor.skipSpaces();
  if (!cursor.eat("(")) {
    if (cursor.pos !== start) cursor.fail('"("');
    return undefined;
  }
  if (depth >= maxEmbedDepth) {
    throw queryParamError(
      cursor.what,
      cursor.input,
      cursor.pos,
      `embedded resources are nested deeper than ${maxEmbedDepth} levels`,
    );
  }
  if (++budget.embeds > maxEmbeds) {
    throw queryParamError(cursor.what, cursor.input, cursor.pos, `more than ${maxEmbeds} embedded resources`);
  }
  const children = parseItems(cursor, depth + 1, budget);
  cursor.skipSpaces();
  cursor.expect(")");
  return { kind: "embed", name, alias, hint, join, spread: false, children };
}
