/** What a version's attribute or mapping holds, as far as comparing two versions goes. */
export interface DiffItem {
  id: string;
  parentItemId: string | null;
  /** How the item is recognised by name: the attribute's name, or the mapping's PDE code. */
  key: string;
  /** For mappings: the attribute the mapping belongs to. */
  ownerId?: string;
  /** The compared fields, already formatted for display, in display order. */
  fields: Record<string, string>;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export type ItemChange =
  | { kind: "added"; after: DiffItem }
  | { kind: "removed"; before: DiffItem }
  | { kind: "changed"; before: DiffItem; after: DiffItem; changes: FieldChange[] }
  | { kind: "unchanged"; before: DiffItem; after: DiffItem };

export interface VersionDiff {
  attributes: ItemChange[];
  mappings: ItemChange[];
}

/**
 * Pairs the items of two versions: first by lineage (the newer item's `parent_item_id` is the older item),
 * then by name among the rest (items of versions further apart, or re-added by hand). Mappings pair within
 * paired attributes by PDE code.
 */
function pair(
  before: DiffItem[],
  after: DiffItem[],
  sameOwner: (a: DiffItem, b: DiffItem) => boolean = () => true,
): ItemChange[] {
  const unmatched = new Map(before.map((item) => [item.id, item]));
  const matches = new Map<DiffItem, DiffItem>();
  for (const item of after) {
    const parent = item.parentItemId ? unmatched.get(item.parentItemId) : undefined;
    if (parent) {
      matches.set(item, parent);
      unmatched.delete(parent.id);
    }
  }
  for (const item of after) {
    if (matches.has(item)) continue;
    const byKey = [...unmatched.values()].find((old) => old.key === item.key && sameOwner(old, item));
    if (byKey) {
      matches.set(item, byKey);
      unmatched.delete(byKey.id);
    }
  }
  const changes: ItemChange[] = [];
  for (const item of after) {
    const old = matches.get(item);
    if (!old) {
      changes.push({ kind: "added", after: item });
      continue;
    }
    const fieldChanges = fieldChangesOf(old, item);
    changes.push(
      fieldChanges.length
        ? { kind: "changed", before: old, after: item, changes: fieldChanges }
        : { kind: "unchanged", before: old, after: item },
    );
  }
  for (const old of unmatched.values()) changes.push({ kind: "removed", before: old });
  return changes;
}

function fieldChangesOf(before: DiffItem, after: DiffItem): FieldChange[] {
  const fields = new Set([...Object.keys(before.fields), ...Object.keys(after.fields)]);
  return [...fields]
    .map((field) => ({ field, before: before.fields[field] ?? "", after: after.fields[field] ?? "" }))
    .filter((change) => change.before !== change.after);
}

export function diffVersions(
  before: { attributes: DiffItem[]; mappings: DiffItem[] },
  after: { attributes: DiffItem[]; mappings: DiffItem[] },
): VersionDiff {
  const attributes = pair(before.attributes, after.attributes);
  // Which older attribute each newer attribute continues, so mappings can be matched under the same one.
  const continues = new Map<string, string>();
  for (const change of attributes) {
    if (change.kind === "changed" || change.kind === "unchanged") continues.set(change.after.id, change.before.id);
  }
  const mappings = pair(
    before.mappings,
    after.mappings,
    (old, item) => item.ownerId !== undefined && continues.get(item.ownerId) === old.ownerId,
  );
  return { attributes, mappings };
}
