import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database, Json } from "~/types/database";
import type { DiffItem } from "./planning-diff";
import { isUuid } from "./route-params";
import { readAll } from "./read-all.server";

type Client = SupabaseClient<Database>;

const yesNo = (value: boolean) => (value ? "yes" : "no");
const plain = (value: string | number | null) => (value === null ? "" : String(value));

function classificationText(value: Json): string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "";
  return Object.entries(value)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, v]) => `${key}: ${String(v)}`)
    .join(", ");
}

/** A version's attributes and mappings, shaped for comparison (decisions left out: they start over in a new version). */
export async function loadDiffItems(supabase: Client, versionId: string) {
  const [attributes, mappings] = await Promise.all([
    readAll("planning diff query", (from, to) =>
      supabase
        .from("planning_attributes")
        .select(
          `id, parent_item_id, name, data_type, description, business_definition, is_mandatory, is_cde, is_primary_key,
           max_length, information_security_classification, source_column, transformation_rule,
           source:planning_data_sources!data_source_id(name)`,
        )
        .eq("version_id", versionId)
        .order("name")
        .order("id")
        .range(from, to),
    ),
    readAll("planning diff query", (from, to) =>
      supabase
        .from("planning_pde_mappings")
        .select(
          `id, parent_item_id, attribute_id, pde_code, pde_name, mapping_type, source_table, source_column,
           source_field, transformation_rule, condition, is_primary, classification, risk_score,
           attribute:planning_attributes!attribute_id(name)`,
        )
        .eq("version_id", versionId)
        .order("pde_code")
        .order("id")
        .range(from, to),
    ),
  ]);
  return {
    attributes: attributes.map((a): DiffItem => ({
      id: a.id,
      parentItemId: a.parent_item_id,
      key: a.name,
      fields: {
        Name: a.name,
        "Data type": a.data_type,
        Description: plain(a.description),
        "Business definition": plain(a.business_definition),
        Mandatory: yesNo(a.is_mandatory),
        CDE: yesNo(a.is_cde),
        "Primary key": yesNo(a.is_primary_key),
        "Max length": plain(a.max_length),
        Classification: a.information_security_classification,
        Source: [a.source?.name, a.source_column].filter(Boolean).join(" · "),
        Transformation: plain(a.transformation_rule),
      },
    })),
    mappings: mappings.map((m): DiffItem => ({
      id: m.id,
      parentItemId: m.parent_item_id,
      key: m.pde_code,
      ownerId: m.attribute_id,
      fields: {
        Attribute: m.attribute?.name ?? "",
        "PDE code": m.pde_code,
        "PDE name": m.pde_name,
        Type: m.mapping_type,
        Source: [m.source_table, m.source_column ?? m.source_field].filter(Boolean).join("."),
        Transformation: plain(m.transformation_rule),
        Condition: plain(m.condition),
        Primary: yesNo(m.is_primary),
        Classification: classificationText(m.classification),
        "Risk score": String(m.risk_score),
      },
    })),
  };
}

/**
 * Two planning versions of one cycle report, older first, with their items; null when either is missing, not
 * visible, or of another report or phase.
 */
export async function loadVersionDiff(supabase: Client, cycleReportId: number, from: string | null, to: string | null) {
  if (!isUuid(from) || !isUuid(to) || from === to) return null;
  const { data, error } = await supabase
    .from("artifact_versions")
    .select("id, version_number, version_status")
    .eq("cycle_report_id", cycleReportId)
    .eq("phase_name", "planning")
    .in("id", [from, to])
    .order("version_number");
  if (error) throw new Error(`planning versions query failed: ${error.message}`);
  if (data.length !== 2) return null;
  const [older, newer] = await Promise.all(data.map((v) => loadDiffItems(supabase, v.id)));
  const version = (v: (typeof data)[number]) => ({ id: v.id, number: v.version_number, status: v.version_status });
  return {
    before: { version: version(data[0]!), items: older! },
    after: { version: version(data[1]!), items: newer! },
  };
}
