import { renderFilter, type FilterRenderer } from "./filters.ts";
import { checkField, embedFor, isRowCount, type EmbedNode, type ReadNode } from "./read-plan.ts";
import type { FieldRef } from "./select-parser.ts";

/** Collects bound values; every value a client sends reaches PostgreSQL as a parameter. */
export class Params {
  readonly values: (string | null)[] = [];
  bind(value: string | null): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal for names taken from the schema cache (never for client input). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function fieldSql(node: ReadNode, field: FieldRef, params: Params): { expr: string; type: string } {
  const column = checkField(node, field);
  // A computed field is its function applied to the row.
  let expr = column.computedBy
    ? `${ident(node.relation!.schema)}.${ident(column.computedBy)}(${ident(node.alias)})`
    : `${ident(node.alias)}.${ident(column.name)}`;
  if (field.jsonPath.length === 0) return { expr, type: column.type };
  for (const step of field.jsonPath) {
    const key = /^-?\d{1,9}$/.test(step.key) ? step.key : `${params.bind(step.key)}::text`;
    expr += `${step.arrow}${key}`;
  }
  const last = field.jsonPath[field.jsonPath.length - 1]!;
  const type = last.arrow === "->>" ? "text" : column.type === "jsonb" ? "jsonb" : "json";
  return { expr: `(${expr})`, type };
}

function renderer(node: ReadNode, params: Params): FilterRenderer {
  return { field: (ref) => fieldSql(node, ref, params), bind: (v) => params.bind(v) };
}

/** The parts of one level's SELECT, rendered once so a count can reuse them. */
interface RenderedNode {
  list: string;
  from: string;
  where: string;
  tail: string;
}

function joinCondition(parent: ReadNode, embed: EmbedNode, targetAlias = embed.alias): string {
  const rel = embed.relationship;
  return rel.targetColumns
    .map((t, i) => `${ident(targetAlias)}.${ident(t)} = ${ident(parent.alias)}.${ident(rel.sourceColumns[i]!)}`)
    .join(" and ");
}

/** Keys a node contributes to its JSON object (needed to spread a to-one embed into its parent). */
function outputKeys(node: ReadNode): string[] {
  const keys: string[] = [];
  for (const item of node.items) {
    if (item.kind === "star") keys.push(...node.columns.keys());
    else if (item.kind === "field") keys.push(item.alias ?? item.field.jsonPath.at(-1)?.key ?? item.field.name);
    else {
      const embed = embedFor(node, item)!;
      if (embed.spread) keys.push(...outputKeys(embed));
      else if (embed.items.length > 0) keys.push(embed.key);
    }
  }
  return keys;
}

function renderNode(
  node: ReadNode,
  source: string,
  params: Params,
  extraWhere: string[],
  withFilters = true,
): RenderedNode {
  const list: string[] = [];
  const joins: string[] = [];
  for (const item of node.items) {
    if (item.kind === "star") {
      list.push(`${ident(node.alias)}.*`);
    } else if (item.kind === "field") {
      const { expr } = isRowCount(node, item.field)
        ? { expr: `count(${ident(node.alias)})` }
        : fieldSql(node, item.field, params);
      const key = item.alias ?? item.field.jsonPath.at(-1)?.key ?? item.field.name;
      list.push(`${expr}${item.cast ? `::${item.cast}` : ""} as ${ident(key)}`);
    } else {
      const embed = embedFor(node, item)!;
      joins.push(lateralJoin(node, embed, params));
      const body = `${ident(embed.lateral)}.body`;
      if (embed.spread) {
        for (const key of outputKeys(embed)) list.push(`${body}->${literalOrBound(key, params)} as ${ident(key)}`);
      } else if (embed.items.length === 0) {
        // An embed with an empty select only filters (`parent!inner()`); PostgREST leaves it out of the output.
      } else if (embed.relationship.toOne) {
        list.push(`${body} as ${ident(embed.key)}`);
      } else {
        list.push(`coalesce(${body}, '[]') as ${ident(embed.key)}`);
      }
    }
  }
  const where = [...extraWhere];
  if (withFilters) {
    const r = renderer(node, params);
    for (const filter of node.filters) where.push(renderFilter(filter, r));
  }
  for (const embed of node.embeds) {
    if (embed.inner) where.push(`${ident(embed.lateral)}.body is not null`);
    if (embed.nullFilter) where.push(`${ident(embed.lateral)}.body is ${embed.nullFilter}`);
  }
  let tail = "";
  if (node.order.length > 0) {
    const terms = node.order.map((term) => {
      let expr: string;
      if (term.embed) {
        const alias = `${term.embed.alias}_o`;
        const column = `${ident(alias)}.${ident(term.field.name)}`;
        const fn = term.embed.relationship.computedFunction;
        expr = fn
          ? `(select ${column} from ${ident(schemaOf(term.embed))}.${ident(fn)}(${ident(node.alias)}) as ${ident(alias)} limit 1)`
          : `(select ${column} from ${ident(schemaOf(term.embed))}.${ident(term.embed.name)} as ${ident(alias)} where ${joinCondition(node, term.embed, alias)})`;
      } else {
        expr = fieldSql(node, term.field, params).expr;
      }
      return `${expr}${term.direction ? ` ${term.direction}` : ""}${term.nulls ? ` nulls ${term.nulls}` : ""}`;
    });
    tail += ` order by ${terms.join(", ")}`;
  }
  if (node.limit !== undefined) tail += ` limit ${params.bind(String(node.limit))}::text::int8`;
  if (node.offset !== undefined && node.offset > 0) tail += ` offset ${params.bind(String(node.offset))}::text::int8`;
  return {
    list: list.join(", "),
    from: `${source}${joins.length ? " " + joins.join(" ") : ""}`,
    where: where.length ? ` where ${where.join(" and ")}` : "",
    tail,
  };
}

/** Keys from the schema cache are inlined; aliases chosen by the client are bound. */
function literalOrBound(key: string, params: Params): string {
  return /^[a-z_][a-z0-9_]*$/.test(key) ? literal(key) : `${params.bind(key)}::text`;
}

/** Embedded tables are always in the schema of the request. */
const schemaOf = (embed: EmbedNode) => embed.relation!.schema;

/** What an embed reads from and how its rows are tied to the parent's row. */
function embedSource(parent: ReadNode, embed: EmbedNode): { source: string; where: string[] } {
  const rel = embed.relationship;
  const alias = ident(embed.alias);
  if (rel.computedFunction) {
    // A computed relationship: the function of the parent row gives the embedded rows.
    return {
      source: `${ident(schemaOf(embed))}.${ident(rel.computedFunction)}(${ident(parent.alias)}) as ${alias}`,
      where: [],
    };
  }
  const source = `${ident(schemaOf(embed))}.${ident(embed.name)} as ${alias}`;
  if (rel.junction) {
    const j = rel.junction;
    const tie = [
      ...j.sourceColumns.map(
        (c, i) => `_pgrst_j.${ident(j.junctionSourceColumns[i]!)} = ${ident(parent.alias)}.${ident(c)}`,
      ),
      ...j.targetColumns.map((c, i) => `_pgrst_j.${ident(j.junctionTargetColumns[i]!)} = ${alias}.${ident(c)}`),
    ];
    return {
      source,
      where: [
        `exists (select 1 from ${ident(schemaOf(embed))}.${ident(j.table)} as _pgrst_j where ${tie.join(" and ")})`,
      ],
    };
  }
  return { source, where: [joinCondition(parent, embed)] };
}

function lateralJoin(parent: ReadNode, embed: EmbedNode, params: Params): string {
  const { source, where } = embedSource(parent, embed);
  const r = renderNode(embed, source, params, where);
  const aggregate = embed.relationship.toOne ? "row_to_json(_pgrst_e)" : "json_agg(_pgrst_e)";
  return `left join lateral (select ${aggregate} as body from (select ${r.list} from ${r.from}${r.where}${r.tail}) as _pgrst_e) as ${ident(embed.lateral)} on true`;
}

export interface ReadOptions {
  singular: boolean;
  count: boolean;
  /** The FROM source of the root node, e.g. `"public"."t" as "t"` or a CTE of mutated rows. */
  source: string;
  /** False when the root's filters were already applied (by an UPDATE/DELETE). */
  rootFilters: boolean;
  /** A result made of one scalar column per row, returned as bare JSON values. */
  scalarColumn?: string;
  /** `Accept: text/csv`: a header line of the keys, then each row as PostgreSQL prints a record (PostgREST's). */
  csv?: boolean;
}

/**
 * The statement every read ends in: one row with the total count, the page count and the JSON body,
 * built in PostgreSQL as PostgREST does.
 */
export function buildReadStatement(root: ReadNode, params: Params, options: ReadOptions): string {
  const r = renderNode(root, options.source, params, [], options.rootFilters);
  const total = options.count ? `(select count(*) from ${r.from}${r.where})` : "null::int8";
  const row = options.scalarColumn ? `_pgrst_t.${ident(options.scalarColumn)}` : "_pgrst_t";
  let body = options.singular ? `(json_agg(${row})->0)::text` : `coalesce(json_agg(${row}), '[]')::text`;
  if (options.csv) {
    const header = literal(outputKeys(root).join(","));
    body = `case when count(*) = 0 then '' else ${header} end || E'\\n' || coalesce(string_agg(substring(_pgrst_t::text, 2, length(_pgrst_t::text) - 2), E'\\n'), '')`;
  }
  return `select ${total} as total, count(*) as page_total, ${body} as body from (select ${r.list} from ${r.from}${r.where}${r.tail}) as _pgrst_t`;
}
