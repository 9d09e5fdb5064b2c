import { classifyColumn } from "../names.ts";
import type { ColumnView, PlanningView } from "../prompts/views.ts";
import type { AttributeProposal } from "../schemas/attributes.ts";
import { LABEL_CHARACTERS } from "../schemas/common.ts";
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

/**
 * What a column is called by the people who wrote the file: its header where ingestion renamed it (`Loan-ID`,
 * whose column is `loan_id_2`), else its name. The name signals (key, CDE, category) read it.
 */
export const saidName = (column: { name: string; original_name?: string }) => column.original_name ?? column.name;

/** The table's primary key: unique, never null, key-like name; the best-named candidate wins. */
function primaryKeyOf(source: Source): string | undefined {
  const candidates = source.columns.filter(
    (c) =>
      source.row_count > 0 && c.null_count === 0 && c.distinct_count === source.row_count && isKeyLike(saidName(c)),
  );
  candidates.sort((a, b) => keyRank(a.name, source.table) - keyRank(b.name, source.table));
  return candidates[0]?.name;
}

const safeName = (name: string) => name.replace(/[^\p{L}\p{N} _\-./()%#&]/gu, "_").replace(/^[^\p{L}\p{N}]+/u, "");
const NOT_IN_LABEL = new RegExp(`[^${LABEL_CHARACTERS}]+`, "gu");
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]+/g;
/** A header quoted in a description or rationale: control characters (a quoted header may hold a line break) become spaces. */
export const quotedHeader = (header: string) => `"${header.replace(CONTROL, " ")}"`;
const IN_LABEL = new RegExp(`^[${LABEL_CHARACTERS}]+$`, "u");

/**
 * A header as people read it, as a name may hold it: characters a name may not have become spaces, spaces run
 * together, anything before the first letter or digit dropped (`"Loan ID"` → `Loan ID`). Empty when nothing is
 * left (`#`).
 */
export function readableHeader(header: string): string {
  return header
    .replace(NOT_IN_LABEL, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[^\p{L}\p{N}]+/u, "");
}

/** Headers that read alike (`Loan ID`, `Loan-ID`, `loan_id`): case, accents and punctuation aside. */
const alikeKey = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** 2nd, 3rd, 4th, 11th, 21st… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/**
 * The name of a column's attribute before any disambiguation: the header as written, where ingestion renamed
 * it; a header with nothing readable left is named by its column (`Column 3 (#)`); other columns by their name.
 */
function baseName(column: ColumnView): string {
  if (column.original_name === undefined) return safeName(column.name);
  const readable = readableHeader(column.original_name);
  if (readable) return readable;
  const byColumn = titleOf(column.name) || safeName(column.name);
  const header = column.original_name.trim();
  return header && IN_LABEL.test(header) ? `${byColumn} (${header})` : byColumn;
}
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
  /** Set when an earlier column of the source has a header that reads alike: "2nd column whose header reads …". */
  alike?: string,
): AttributeProposal {
  const dataType = dataTypeOf(column.type, column.max_length);
  const said = saidName(column);
  const isPrimaryKey = column.name === primaryKey;
  const isMandatory = source.row_count > 0 && column.null_count === 0;
  const cde = cdeWord(said);
  const isCde = isPrimaryKey || cde !== undefined;
  const byName = classifyColumn({ name: column.name, originalName: column.original_name });
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

  const reasons = [`one attribute per column (${source.table}.${column.name})`];
  if (column.original_name !== undefined) {
    reasons.push(`named after the header ${quotedHeader(column.original_name)}, loaded as column ${column.name}`);
  }
  if (alike) reasons.push(`the ${alike}`);
  reasons.push(`data type ${dataType} from ${column.type}`);
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

  const what =
    column.original_name === undefined
      ? column.name
      : `Header ${quotedHeader(column.original_name)} (column ${column.name}${alike ? `, the ${alike}` : ""})`;
  return {
    name,
    data_type: dataType,
    description: `${what} from ${source.table} (${source.name}): ${column.type}, ${column.null_count} nulls and ${column.distinct_count} distinct values in ${source.row_count} rows.`,
    business_definition: "",
    is_mandatory: isMandatory,
    is_cde: isCde,
    is_primary_key: isPrimaryKey,
    max_length: dataType === "string" || dataType === "text" ? column.max_length : null,
    information_security_classification: security,
    source: { data_source: source.name, table: source.table, column: column.name },
    pde_mappings: [
      {
        pde_name: (column.original_name !== undefined ? baseName(column) : titleOf(column.name)) || name,
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
          data_category: byName?.category ?? (pii ? "personal_data" : categoryOf(said, dataType)),
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
    // Headers of one source that read alike, by how they read: the first keeps its header, the next say which
    // one they are ("Loan-ID (2nd)"), as ingestion numbered their columns (loan_id, loan_id_2).
    const alikeSeen = new Map<string, { first: string; count: number }>();
    return source.columns.map((column, index) => {
      let name = baseName(column) || `column_${index + 1}`;
      let alike: string | undefined;
      const key = alikeKey(name);
      const seen = alikeSeen.get(key);
      if (seen) {
        seen.count += 1;
        alike = `${ordinal(seen.count)} column of ${sourceLabel(source)} whose header reads "${seen.first}"`;
        name = `${name} (${ordinal(seen.count)})`;
      } else alikeSeen.set(key, { first: name, count: 1 });
      // Two sources with a column of the same name: the second says which source it is from, by the name people
      // gave the source (an upload's table name is an internal id): "balance (loans_2026q4)".
      if (used.has(name.toLowerCase())) name = `${name} (${safeName(sourceLabel(source)) || safeName(source.table)})`;
      used.add(name.toLowerCase());
      return proposeOne(source, column, primaryKey, name.slice(0, 100), alike);
    });
  });
}
