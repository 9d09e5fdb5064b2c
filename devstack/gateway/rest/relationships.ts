import { closestName, pgrstError } from "./errors.ts";
import { unqualifiedType, type ForeignKey, type SchemaCache } from "./schema-cache.ts";

export type Cardinality = "many-to-one" | "one-to-many" | "one-to-one" | "many-to-many" | "computed";

/** The junction table of a many-to-many relationship: source ← junction → target. */
export interface Junction {
  table: string;
  /** The junction's foreign key to the source, and to the target. */
  sourceConstraint: string;
  targetConstraint: string;
  /** source.sourceColumns[i] = junction.junctionSourceColumns[i] */
  sourceColumns: string[];
  junctionSourceColumns: string[];
  /** junction.junctionTargetColumns[i] = target.targetColumns[i] */
  junctionTargetColumns: string[];
  targetColumns: string[];
}

/** A path from a source table (or view) to an embedded target, as PostgREST 12's schema cache holds them. */
export interface Relationship {
  constraint: string;
  source: string;
  target: string;
  /** Pairs of source and target columns joined by equality (foreign-key relationships). */
  sourceColumns: string[];
  targetColumns: string[];
  cardinality: Cardinality;
  toOne: boolean;
  /** A table's foreign key to itself. */
  isSelf: boolean;
  targetIsView: boolean;
  junction?: Junction;
  /** A computed relationship: a function taking the source row and returning target rows. */
  computedFunction?: string;
}

function isUnique(cache: SchemaCache, table: string, columns: string[]): boolean {
  const keys = cache.tables.get(table)?.uniqueKeys ?? [];
  return keys.some((key) => key.length === columns.length && key.every((c) => columns.includes(c)));
}

const isView = (cache: SchemaCache, name: string) => cache.tables.get(name)?.isView === true;

/** Both directions of a foreign key. */
function fkRelationships(cache: SchemaCache, fk: ForeignKey): Relationship[] {
  const isSelf = fk.table === fk.refTable;
  const oneToOne = isUnique(cache, fk.table, fk.columns);
  return [
    {
      constraint: fk.name,
      source: fk.table,
      target: fk.refTable,
      sourceColumns: fk.columns,
      targetColumns: fk.refColumns,
      cardinality: oneToOne ? "one-to-one" : "many-to-one",
      toOne: true,
      isSelf,
      targetIsView: isView(cache, fk.refTable),
    },
    {
      constraint: fk.name,
      source: fk.refTable,
      target: fk.table,
      sourceColumns: fk.refColumns,
      targetColumns: fk.columns,
      cardinality: oneToOne ? "one-to-one" : "one-to-many",
      toOne: oneToOne,
      isSelf,
      targetIsView: isView(cache, fk.table),
    },
  ];
}

/** A table whose foreign keys to two tables are all part of its primary key joins them many-to-many. */
function junctionRelationships(cache: SchemaCache): Relationship[] {
  const found: Relationship[] = [];
  for (const a of cache.foreignKeys) {
    const pk = cache.tables.get(a.table)?.primaryKey ?? [];
    for (const b of cache.foreignKeys) {
      if (a.table !== b.table || a.name === b.name) continue;
      if (![...a.columns, ...b.columns].every((c) => pk.includes(c))) continue;
      found.push({
        constraint: a.table,
        source: a.refTable,
        target: b.refTable,
        sourceColumns: a.refColumns,
        targetColumns: b.refColumns,
        cardinality: "many-to-many",
        toOne: false,
        isSelf: a.refTable === b.refTable,
        targetIsView: isView(cache, b.refTable),
        junction: {
          table: a.table,
          sourceConstraint: a.name,
          targetConstraint: b.name,
          sourceColumns: a.refColumns,
          junctionSourceColumns: a.columns,
          junctionTargetColumns: b.columns,
          targetColumns: b.refColumns,
        },
      });
    }
  }
  return found;
}

/** Functions taking one row of a table and returning rows of a table (setof: to-many) are relationships. */
function computedRelationships(cache: SchemaCache): Relationship[] {
  const found: Relationship[] = [];
  for (const [name, overloads] of cache.routines) {
    for (const routine of overloads) {
      if (routine.params.length !== 1 || !routine.returnColumns) continue;
      const source = unqualifiedType(cache.schema, routine.params[0]!.type);
      const target = unqualifiedType(cache.schema, routine.returnType);
      if (!cache.tables.has(source) || !cache.tables.has(target)) continue;
      found.push({
        constraint: name,
        source,
        target,
        sourceColumns: [],
        targetColumns: [],
        cardinality: "computed",
        toOne: !routine.returnsSet,
        isSelf: source === target,
        targetIsView: isView(cache, target),
        computedFunction: name,
      });
    }
  }
  return found;
}

const relationshipsByCache = new WeakMap<SchemaCache, Map<string, Relationship[]>>();

/** Every relationship whose source is `source`, worked out once per schema cache. */
export function relationshipsFrom(cache: SchemaCache, source: string): Relationship[] {
  let bySource = relationshipsByCache.get(cache);
  if (!bySource) {
    bySource = new Map();
    const all = [
      ...cache.foreignKeys.flatMap((fk) => fkRelationships(cache, fk)),
      ...junctionRelationships(cache),
      ...computedRelationships(cache),
    ];
    for (const rel of all) bySource.set(rel.source, [...(bySource.get(rel.source) ?? []), rel]);
    relationshipsByCache.set(cache, bySource);
  }
  return bySource.get(source) ?? [];
}

/** For a one-to-many the origin's column is the referenced one; PostgREST's `relColumns` pairs. */
const singleColumn = (cols: string[]) => (cols.length === 1 ? cols[0] : undefined);

/** The candidates PostgREST 12's findRel keeps for `target` (and `!hint`) embedded in `origin`. */
function matching(cache: SchemaCache, origin: string, target: string, hint?: string): Relationship[] {
  return relationshipsFrom(cache, origin).filter((rel) => {
    if (rel.computedFunction) return target === rel.computedFunction;
    const fkCol = rel.junction ? undefined : singleColumn(rel.sourceColumns);
    const refCol = rel.junction ? undefined : singleColumn(rel.targetColumns);
    const oneToMany = rel.cardinality === "one-to-many";
    const manyToOne = rel.cardinality === "many-to-one";
    if (rel.isSelf && !rel.junction) {
      // One foreign key, two relationships: `children:t(*)` or `t!parent_id(*)` is the one-to-many,
      // `parent_id(*)` the many-to-one.
      if (hint === undefined) return (target === rel.target && oneToMany) || (fkCol === target && manyToOne);
      return target === rel.target && oneToMany && refCol === hint;
    }
    if (hint === undefined) {
      return (
        target === rel.target ||
        (!rel.junction && rel.constraint === target && !rel.targetIsView) ||
        (fkCol === target && !rel.targetIsView)
      );
    }
    return (
      target === rel.target &&
      (rel.junction ? rel.junction.table === hint : rel.constraint === hint || fkCol === hint || refCol === hint)
    );
  });
}

const fmt = (cols: string[]) => `(${cols.join(", ")})`;

/** PostgREST's `details` entry for one candidate of an ambiguous embed. */
function describe(rel: Relationship) {
  if (rel.junction) {
    const j = rel.junction;
    return {
      cardinality: "many-to-many",
      embedding: `${rel.source} with ${rel.target}`,
      relationship: `${j.table} using ${j.sourceConstraint}${fmt(j.junctionSourceColumns)} and ${j.targetConstraint}${fmt(j.junctionTargetColumns)}`,
    };
  }
  return {
    cardinality: rel.cardinality,
    embedding: `${rel.source} with ${rel.target}`,
    relationship: `${rel.constraint} using ${rel.source}${fmt(rel.sourceColumns)} and ${rel.target}${fmt(rel.targetColumns)}`,
  };
}

/**
 * Resolves `name!hint` embedded in `source` to exactly one relationship, with PostgREST's errors:
 * none → 400 PGRST200, several → 300 PGRST201.
 */
export function resolveRelationship(cache: SchemaCache, source: string, name: string, hint?: string): Relationship {
  const candidates = matching(cache, source, name, hint);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    const related = new Set(relationshipsFrom(cache, source).map((r) => r.target));
    const suggestion = cache.tables.has(source)
      ? closestName(name, related, 0.33)
      : closestName(source, cache.tables.keys(), 0.33);
    throw pgrstError(
      400,
      "PGRST200",
      `Could not find a relationship between '${source}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${source}' and '${name}${hint !== undefined ? `' using the hint '${hint}` : ""}' in the schema '${cache.schema}', but no matches were found.`,
      suggestion && suggestion !== name ? `Perhaps you meant '${suggestion}' instead of '${name}'.` : null,
    );
  }
  throw pgrstError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${source}' and '${name}'`,
    candidates.map(describe),
    `Try changing '${name}' to one of the following: ${candidates.map((r) => `'${r.target}!${r.junction ? r.junction.table : r.constraint}'`).join(", ")}. Find the desired relationship in the 'details' key.`,
  );
}
