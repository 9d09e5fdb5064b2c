import { pgrstError, queryParamError, undefinedColumn } from "./errors.ts";
import { parseCondition, parseLogic, type FilterTree } from "./filters.ts";
import { resolveRelationship, type Relationship } from "./relationships.ts";
import type { Column, SchemaCache, Table } from "./schema-cache.ts";
import { Cursor, parseSelect, type FieldRef, type SelectItem } from "./select-parser.ts";

export interface OrderTerm {
  field: FieldRef;
  /** Set when ordering by a column of a to-one embedded resource: `order=parent(name)`. */
  embed?: EmbedNode;
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

/** One level of a read: a table (or function result) with its selected fields, filters and embeds. */
export interface ReadNode {
  /** Name used in error messages and relationship lookups. */
  name: string;
  /** Columns that can be selected and filtered. */
  columns: Map<string, Column>;
  /** Table whose relationships embeds follow (null for results that are not a table's rows). */
  relation: Table | null;
  alias: string;
  items: SelectItem[];
  embeds: EmbedNode[];
  filters: FilterTree[];
  order: OrderTerm[];
  limit?: number;
  offset?: number;
}

export interface EmbedNode extends ReadNode {
  /** Key of the embedded value in the parent's JSON object. */
  key: string;
  relationship: Relationship;
  inner: boolean;
  spread: boolean;
  /** `embed=is.null` / `embed=not.is.null` on the parent. */
  nullFilter?: "null" | "not null";
  lateral: string;
}

/** Allocates SQL aliases that cannot collide with one another. */
export class AliasAllocator {
  private n = 0;
  next(base: string): string {
    this.n += 1;
    return `${base.slice(0, 40)}_${this.n}`;
  }
}

export function planRead(
  cache: SchemaCache,
  root: { name: string; columns: Map<string, Column>; relation: Table | null; alias: string },
  select: string | null,
  aliases: AliasAllocator,
): ReadNode {
  const items = parseSelect(select ?? "*");
  const node: ReadNode = { ...root, items, embeds: [], filters: [], order: [] };
  resolveEmbeds(cache, node, aliases);
  return node;
}

function resolveEmbeds(cache: SchemaCache, node: ReadNode, aliases: AliasAllocator): void {
  for (const item of node.items) {
    if (item.kind === "field" && !isRowCount(node, item.field)) checkField(node, item.field);
    if (item.kind !== "embed") continue;
    if (!node.relation) {
      throw pgrstError(
        400,
        "PGRST200",
        `Could not find a relationship between '${node.name}' and '${item.name}' in the schema cache`,
        `Searched for a foreign key relationship between '${node.name}' and '${item.name}' in the schema '${cache.schema}', but no matches were found.`,
      );
    }
    const relationship = resolveRelationship(cache, node.relation.name, item.name, item.hint);
    if (item.spread && !relationship.toOne) {
      throw pgrstError(
        400,
        "PGRST119",
        `A spread operation on '${item.name}' is not possible`,
        `'${node.relation.name}' and '${item.name}' do not form a many-to-one or one-to-one relationship`,
      );
    }
    const target = cache.tables.get(relationship.target)!;
    const embed: EmbedNode = {
      name: target.name,
      columns: target.columns,
      relation: target,
      alias: aliases.next(target.name),
      items: item.children,
      embeds: [],
      filters: [],
      order: [],
      key: item.alias ?? item.name,
      relationship,
      inner: item.join === "inner",
      spread: item.spread,
      lateral: aliases.next(`${node.name}_${target.name}`),
    };
    node.embeds.push(embed);
    resolveEmbeds(cache, embed, aliases);
  }
}

/**
 * `count` selected from a table without a column of that name. PostgREST writes it as `"alias"."count"`, which
 * PostgreSQL reads as `count("alias")`, the function applied to the row: `select=count` counts the rows and an
 * embed `children(count)` answers `[{"count": n}]`, with aggregates disabled too (supabase-js documents it as
 * "querying referenced table with count"). Only in a select list; in filters and order it stays unknown.
 */
export function isRowCount(node: ReadNode, field: FieldRef): boolean {
  return (
    field.name === "count" &&
    field.jsonPath.length === 0 &&
    !node.columns.has("count") &&
    !node.relation?.computed.has("count")
  );
}

export function checkField(node: ReadNode, field: FieldRef): Column {
  const column = node.columns.get(field.name) ?? node.relation?.computed.get(field.name);
  if (!column) throw undefinedColumn(node.name, field.name);
  return column;
}

/** The embed an item of `node.items` produced (embeds are resolved in select order). */
export function embedFor(node: ReadNode, item: SelectItem): EmbedNode | undefined {
  let i = 0;
  for (const it of node.items) {
    if (it.kind !== "embed") continue;
    if (it === item) return node.embeds[i];
    i++;
  }
  return undefined;
}

const reservedParams = new Set(["select", "columns", "on_conflict"]);

/** Applies filters, `order`, `limit` and `offset` parameters (top-level and `embed.param`) to a read tree. */
export function applyQueryParams(root: ReadNode, params: [string, string][]): void {
  for (const [key, value] of params) {
    if (reservedParams.has(key)) continue;
    const segments = key.split(".");
    let node: ReadNode = root;
    let i = 0;
    while (i < segments.length - 1 && !(segments[i] === "not" && i === segments.length - 2)) {
      const embed = node.embeds.find((e) => e.key === segments[i]);
      if (!embed) {
        // A JSON path key may contain dots; only the first segment can then be a column.
        if (node === root && i === 0 && key.includes("->")) break;
        throw notEmbedded(segments.slice(0, i + 1).join("."));
      }
      node = embed;
      i++;
    }
    applyParam(node, segments.slice(i).join("."), value);
  }
}

/**
 * PostgREST's `db-max-rows`: every level of a read (the top level and each embed) answers at most `maxRows`
 * rows, whatever `limit` or `Range` asked for; an exact count still counts every row. Reads and function
 * results only: the representation a write returns is not capped.
 */
export function restrictRows(node: ReadNode, maxRows: number): void {
  node.limit = node.limit === undefined ? maxRows : Math.min(node.limit, maxRows);
  for (const embed of node.embeds) restrictRows(embed, maxRows);
}

function notEmbedded(resource: string) {
  return pgrstError(
    400,
    "PGRST108",
    `'${resource}' is not an embedded resource in this request`,
    null,
    `Verify that '${resource}' is included in the 'select' query parameter.`,
  );
}

function applyParam(node: ReadNode, key: string, value: string): void {
  if (key === "order") {
    node.order = parseOrder(node, value);
    return;
  }
  if (key === "limit" || key === "offset") {
    node[key] = parseNonNegative(key, value);
    return;
  }
  const logic = /^(not\.)?(and|or)$/.exec(key);
  if (logic) {
    const tree = parseLogic(logic[2] as "and" | "or", logic[1] !== undefined, value);
    checkTree(node, tree);
    node.filters.push(tree);
    return;
  }
  const embed = node.embeds.find((e) => e.key === key);
  if (embed) {
    if (value === "is.null") embed.nullFilter = "null";
    else if (value === "not.is.null") embed.nullFilter = "not null";
    else {
      throw pgrstError(
        400,
        "PGRST120",
        `Bad operator on the '${key}' embedded resource`,
        "Only is null or not is null filters are allowed on embedded resources",
      );
    }
    return;
  }
  const cursor = new Cursor(key, "filter");
  const field = cursor.field(',()!:"');
  if (!cursor.done) cursor.fail("end of input");
  const condition = parseCondition(field, value);
  checkField(node, field);
  node.filters.push(condition);
}

function checkTree(node: ReadNode, tree: FilterTree): void {
  if (tree.kind === "cond") checkField(node, tree.field);
  else tree.children.forEach((c) => checkTree(node, c));
}

export function parseNonNegative(what: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw queryParamError(`${what} parameter`, value, 1, "unexpected input expecting non-negative integer");
  }
  return Number(value);
}

function parseOrder(node: ReadNode, input: string): OrderTerm[] {
  const cursor = new Cursor(input, "order");
  const terms: OrderTerm[] = [];
  for (;;) {
    const first = cursor.field(',()!:".');
    let term: OrderTerm;
    if (first.jsonPath.length === 0 && cursor.eat("(")) {
      const embed = node.embeds.find((e) => e.key === first.name);
      if (!embed) throw notEmbedded(first.name);
      if (!embed.relationship.toOne) {
        throw pgrstError(
          400,
          "PGRST118",
          `A related order on '${embed.name}' is not possible`,
          `'${node.name}' and '${embed.name}' do not form a many-to-one or one-to-one relationship`,
        );
      }
      const field = cursor.field(',()!:".');
      cursor.expect(")");
      checkField(embed, field);
      term = { field, embed };
    } else {
      checkField(node, first);
      term = { field: first };
    }
    while (cursor.eat(".")) {
      const word = cursor.name(',()!:".');
      if (word === "asc" || word === "desc") term.direction = word;
      else if (word === "nullsfirst") term.nulls = "first";
      else if (word === "nullslast") term.nulls = "last";
      else {
        cursor.pos -= word.length;
        cursor.fail('"asc", "desc", "nullsfirst" or "nullslast"');
      }
    }
    terms.push(term);
    if (cursor.done) return terms;
    cursor.expect(",");
  }
}
