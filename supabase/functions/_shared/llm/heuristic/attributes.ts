import { classifyName } from "../names.ts";
import type { ColumnView, PlanningView } from "../prompts/views.ts";
import type { AttributeProposal } from "../schemas/attributes.ts";
import type { Level } from "../types.ts";
import { categoryOf, cdeWord, dataTypeOf, isKeyLike, titleOf } from "./signals.ts";

type Source = PlanningView["data_sources"][number];

/** Confidence per rule; all below the 0.85 auto-approval threshold, so a person always decides. */
export const ATTRIBUTE_CONFIDENCE = { primaryKey: 0.8, namePattern: 0.7, column: 0.5 } as const;

const keyRank = (column: string, table: string) => {
  const name = column.toLowerCase();
  if (name === "id") return 0;
  if (name === `${table.toLowerCase().replace(/s$/, "")}_id`) return 1;
  return 2;
};

/** The table's primary key: unique, never null, key-like name; the best-named candidate wins. */
function primaryKeyOf(source: Source): string | undefined {
  const candidates = source.columns.filter(
    (c) => source.row_count > 0 && c.null_count === 0 && c.distinct_count === source.row_count && isKeyLike(c.name),
  );
  candidates.sort((a, b) => keyRank(a.name, source.table) - keyRank(b.name, source.table));
  return candidates[0]?.name;
}

const safeName = (name: string) => name.replace(/[^\p{L}\p{N} _\-./()%#&]/gu, "_").replace(/^[^\p{L}\p{N}]+/u, "");
const safeCode = (value: string) =>
  value
    .toUpperCase()
    .replace(/[^A-Z0-9_.-]/g, "_")
    .replace(/^[^A-Z0-9]+/, "");

/** An upload's table is named by an internal id (source_data.upload_<uuid>); people know the source by its name. */
const UPLOAD_TABLE = /^upload_[0-9a-f]{32}$/i;

/** A source's name as people gave it, without a file extension: "loans_2026q4.csv" → "loans_2026q4". */
export function sourceLabel(source: { name: string }): string {
  return source.name.replace(/\.(csv|tsv|txt)$/i, "").trim() || source.name;
}

/** What a PDE code names the table by: a database table by its name, an upload by its source's name. */
const tableCodeOf = (source: { name: string; table: string }) =>
  UPLOAD_TABLE.test(source.table) ? sourceLabel(source) : source.table;

function proposeOne(
  source: Source,
  column: ColumnView,
  primaryKey: string | undefined,
  name: string,
): AttributeProposal {
  const dataType = dataTypeOf(column.type, column.max_length);
  const isPrimaryKey = column.name === primaryKey;
  const isMandatory = source.row_count > 0 && column.null_count === 0;
  const cde = cdeWord(column.name);
  const isCde = isPrimaryKey || cde !== undefined;
  const byName = classifyName(column.name);
  // Values held back because they look personal or like free text make an unclassified column confidential.
  const withheld = column.values_withheld?.because;
  const byValues = withheld === "personal_values" || withheld === "free_text";
  const security = column.classification ?? byName?.classification ?? (byValues ? "confidential" : "internal");
  const pii = byName?.pii ?? withheld === "personal_values";
  const criticality: Level = isCde ? "high" : isMandatory ? "medium" : "low";
  const risk: Level = security === "restricted" ? "high" : security === "confidential" || isCde ? "medium" : "low";
  const confidence = isPrimaryKey
    ? ATTRIBUTE_CONFIDENCE.primaryKey
    : byName || byValues
      ? ATTRIBUTE_CONFIDENCE.namePattern
      : ATTRIBUTE_CONFIDENCE.column;

  const reasons = [
    `one attribute per column (${source.table}.${column.name})`,
    `data type ${dataType} from ${column.type}`,
  ];
  if (isPrimaryKey) reasons.push(`primary key: all ${source.row_count} values distinct and non-null, key-like name`);
  if (isMandatory) reasons.push("mandatory: no nulls");
  if (isCde) reasons.push(isPrimaryKey ? "CDE: primary key" : `CDE: name word '${cde}'`);
  const classReason = column.classification
    ? `${security}: classified before`
    : byName
      ? `${security}${pii ? " with PII" : ""}: name pattern '${byName.pattern}'`
      : byValues
        ? `${security}${pii ? " with PII" : ""}: ${column.values_withheld!.detail}`
        : "internal: default";
  reasons.push(classReason);

  return {
    name,
    data_type: dataType,
    description: `${column.name} from ${source.table} (${source.name}): ${column.type}, ${column.null_count} nulls and ${column.distinct_count} distinct values in ${source.row_count} rows.`,
    business_definition: "",
    is_mandatory: isMandatory,
    is_cde: isCde,
    is_primary_key: isPrimaryKey,
    max_length: dataType === "string" || dataType === "text" ? column.max_length : null,
    information_security_classification: security,
    source: { data_source: source.name, table: source.table, column: column.name },
    pde_mappings: [
      {
        pde_name: titleOf(column.name) || name,
        pde_code: safeCode(`${tableCodeOf(source)}.${column.name}`).slice(0, 64),
        mapping_type: "direct",
        source_table: source.table,
        source_column: column.name,
        transformation_rule: null,
        is_primary: true,
        classification: {
          criticality,
          risk_level: risk,
          information_security: security,
          regulatory_flag: isCde,
          pii_flag: pii,
          data_category: byName?.category ?? (pii ? "personal_data" : categoryOf(column.name, dataType)),
          evidence_type: "data_profile",
          evidence_reference: classReason,
        },
        confidence,
      },
    ],
    confidence,
    rationale: reasons.join("; "),
  };
}

/** One proposed attribute per column of the view, by the rules documented in docs/llm.md. */
export function proposeAttributes(view: PlanningView): AttributeProposal[] {
  const used = new Set<string>();
  return view.data_sources.flatMap((source) => {
    const primaryKey = primaryKeyOf(source);
    return source.columns.map((column, index) => {
      let name = safeName(column.name) || `column_${index + 1}`;
      // Two sources with a column of the same name: the second says which source it is from, by the name people
      // gave the source (an upload's table name is an internal id): "balance (loans_2026q4)".
      if (used.has(name.toLowerCase())) name = safeName(`${name} (${sourceLabel(source)})`);
      used.add(name.toLowerCase());
      return proposeOne(source, column, primaryKey, name.slice(0, 100));
    });
  });
}
