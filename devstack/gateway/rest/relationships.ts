import { closestName, pgrstError } from "./errors.ts";
import type { SchemaCache } from "./schema-cache.ts";

export type Cardinality = "many-to-one" | "one-to-many" | "one-to-one";

/** A foreign-key path from a source table to an embedded target table. */
export interface Relationship {
  constraint: string;
  source: string;
  target: string;
  /** Pairs of source and target columns joined by equality. */
  sourceColumns: string[];
  targetColumns: string[];
  cardinality: Cardinality;
  toOne: boolean;
}

function isUnique(cache: SchemaCache, table: string, columns: string[]): boolean {
  const keys = cache.tables.get(table)?.uniqueKeys ?? [];
  return keys.some((key) => key.length === columns.length && key.every((c) => columns.includes(c)));
}

/** Every relationship from `source` to `target`, in both directions. */
function relationshipsBetween(cache: SchemaCache, source: string, target: string): Relationship[] {
  const found: Relationship[] = [];
  for (const fk of cache.foreignKeys) {
    if (fk.table === source && fk.refTable === target) {
      const oneToOne = isUnique(cache, source, fk.columns);
      found.push({
        constraint: fk.name,
        source,
        target,
        sourceColumns: fk.columns,
        targetColumns: fk.refColumns,
        cardinality: oneToOne ? "one-to-one" : "many-to-one",
        toOne: true,
      });
    }
    if (fk.table === target && fk.refTable === source) {
      const oneToOne = isUnique(cache, target, fk.columns);
      found.push({
        constraint: fk.name,
        source,
        target,
        sourceColumns: fk.refColumns,
        targetColumns: fk.columns,
        cardinality: oneToOne ? "one-to-one" : "one-to-many",
        toOne: oneToOne,
      });
    }
  }
  return found;
}

function matchesHint(rel: Relationship, hint: string): boolean {
  if (rel.constraint === hint) return true;
  const fkColumns = rel.cardinality === "one-to-many" ? rel.targetColumns : rel.sourceColumns;
  const refColumns = rel.cardinality === "one-to-many" ? rel.sourceColumns : rel.targetColumns;
  return (fkColumns.length === 1 && fkColumns[0] === hint) || (refColumns.length === 1 && refColumns[0] === hint);
}

/**
 * Resolves `name!hint` embedded in `source` to exactly one relationship, with PostgREST's errors:
 * none → 400 PGRST200, several → 300 PGRST201.
 */
export function resolveRelationship(cache: SchemaCache, source: string, name: string, hint?: string): Relationship {
  let candidates: Relationship[];
  if (cache.tables.has(name)) {
    candidates = relationshipsBetween(cache, source, name);
  } else {
    // A foreign-key column of the source names its many-to-one relationship (`select=*,owner_id(*)`).
    candidates = cache.foreignKeys
      .filter((fk) => fk.table === source && fk.columns.length === 1 && fk.columns[0] === name)
      .flatMap((fk) =>
        relationshipsBetween(cache, source, fk.refTable).filter((r) => r.constraint === fk.name && r.toOne),
      );
  }
  if (hint !== undefined) candidates = candidates.filter((r) => matchesHint(r, hint));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    const related = new Set<string>();
    for (const fk of cache.foreignKeys) {
      if (fk.table === source) related.add(fk.refTable);
      if (fk.refTable === source) related.add(fk.table);
    }
    const suggestion = cache.tables.has(source) ? closestName(name, related, 0.33) : undefined;
    throw pgrstError(
      400,
      "PGRST200",
      `Could not find a relationship between '${source}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${source}' and '${name}${hint !== undefined ? `' using the hint '${hint}` : ""}' in the schema '${cache.schema}', but no matches were found.`,
      suggestion && suggestion !== name ? `Perhaps you meant '${suggestion}' instead of '${name}'.` : null,
    );
  }
  const fmt = (cols: string[]) => `(${cols.join(", ")})`;
  throw pgrstError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${source}' and '${name}'`,
    candidates.map((r) => ({
      cardinality: r.cardinality,
      embedding: `${source} with ${r.target}`,
      relationship:
        r.cardinality === "one-to-many"
          ? `${r.constraint} using ${r.target}${fmt(r.targetColumns)} and ${source}${fmt(r.sourceColumns)}`
          : `${r.constraint} using ${source}${fmt(r.sourceColumns)} and ${r.target}${fmt(r.targetColumns)}`,
    })),
    `Try changing '${name}' to one of the following: ${candidates.map((r) => `'${r.target}!${r.constraint}'`).join(", ")}. Find the desired relationship in the 'details' key.`,
  );
}
