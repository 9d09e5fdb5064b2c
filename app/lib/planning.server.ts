import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import type { Viewer } from "./cycle-report-summary";
import { getCycleReport } from "./cycle-reports.server";
import { env } from "./env.server";
import { readGenerationJob } from "./generation.server";
import { formatTime, personName, type Person } from "./format";
import { attributePageSize, containsPattern, parseAttributeQuery, type AttributeQuery } from "./planning-query";
import { isUuid } from "./route-params";
import { uploadRefusal } from "./planning-refusal";
import { uploadFieldErrors, uploadFormId } from "./planning-forms";
import { type Proposal, proposalOf } from "./proposal";
import { readAll } from "./read-all.server";
import { type Decision, type ItemStatus, listVersions, type VersionView } from "./versions.server";

type Client = SupabaseClient<Database>;
type Tables = Database["public"]["Tables"];
export type { Decision, ItemStatus, VersionStatus } from "./versions.server";

export interface PlanningCounts {
  dataSources: number;
  attributes: number;
  approvedAttributes: number;
  pk: number;
  cde: number;
  mandatory: number;
  mappings: number;
  approvedMappings: number;
  autoApprovedMappings: number;
}

/** A planning version: the kit's version with the planning counters (planning_version_summaries). */
export interface PlanningVersion extends VersionView {
  counts: PlanningCounts | null;
}

/** Every planning version of the phase, newest first, with who moved it, its counters and its summary. */
export async function listPlanningVersions(supabase: Client, phaseId: number): Promise<PlanningVersion[]> {
  const versions = await listVersions(supabase, phaseId);
  const summaries = versions.length
    ? await readAll("planning version summaries query", (from, to) =>
        supabase
          .from("planning_version_summaries")
          .select("*")
          .in(
            "version_id",
            versions.map((v) => v.id),
          )
          .order("version_id")
          .range(from, to),
      )
    : [];
  const byVersion = new Map(summaries.map((s) => [s.version_id, s]));
  return versions.map((v) => {
    const s = byVersion.get(v.id);
    return {
      ...v,
      counts: s
        ? {
            dataSources: s.data_sources,
            attributes: s.total_attributes,
            approvedAttributes: s.approved_attributes,
            pk: s.pk_attributes,
            cde: s.cde_attributes,
            mandatory: s.mandatory_attributes,
            mappings: s.total_mappings,
            approvedMappings: s.approved_mappings,
            autoApprovedMappings: s.auto_approved_mappings,
          }
        : null,
    };
  });
}

/** A measured column of a data source's table, as the planning-sources function records it. */
export interface SourceColumn {
  name: string;
  originalName?: string;
  type: string;
  pgType?: string;
  nullable?: boolean;
  nullCount?: number | null;
  distinctCount?: number | null;
  distinctIsEstimate?: boolean;
  min?: string | null;
  max?: string | null;
  examples?: string[];
  /** The column's values are withheld: it is classified confidential or restricted, or flagged as personal data. */
  masked?: boolean;
}

export interface DecisionView {
  decision: Decision | null;
  notes: string | null;
  by: string | null;
  status: ItemStatus;
}

export interface SourceView extends DecisionView {
  id: string;
  name: string;
  description: string | null;
  type: "file_upload" | "database";
  /** A database source's connection as stored (never its password), for the edit form. */
  connection: { host: string; port: number; database: string; schema: string; table: string; user: string } | null;
  /** The attributes of the version that read from the source (it cannot be removed while they do). */
  usedBy: string[];
  state: string;
  location: string | null;
  rowCount: number | null;
  error: string | null;
  checkedAt: string | null;
  columns: SourceColumn[];
  /** The table a mapping names as its source_table (an upload's upload_<id>). */
  tableName: string | null;
}

function columnsOf(schema: unknown): SourceColumn[] {
  const columns = (schema as { columns?: unknown } | null)?.columns;
  return Array.isArray(columns) ? (columns as SourceColumn[]) : [];
}

export async function listSources(supabase: Client, versionId: string): Promise<SourceView[]> {
  const data = await readAll("data sources query", (from, to) =>
    supabase
      .from("planning_data_sources")
      .select(
        `id, name, description, source_type, status, host, port, database_name, schema_name, table_name, username,
         row_count, error, checked_at, schema, planning_attributes(name), tester_decision, tester_notes, item_status, decider:profiles!tester_decided_by(full_name, email)`,
      )
      .eq("version_id", versionId)
      .order("created_at")
      .order("id")
      .range(from, to),
  );
  // The table keeps each column's shape; its measured values come from data_source_schema, which withholds those
  // of the columns classified confidential or restricted (or flagged as personal data) at the time of reading.
  const schemas = await Promise.all(
    data.map(async (s) => {
      if (s.schema === null) return null;
      const { data: schema, error } = await supabase.rpc("data_source_schema", { p_data_source_id: s.id });
      if (error) throw new Error(`data source schema: ${error.message}`);
      return schema;
    }),
  );
  return data.map((s, i) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    type: s.source_type === "database" ? "database" : "file_upload",
    connection:
      s.source_type === "database"
        ? {
            host: s.host ?? "",
            port: s.port ?? 5432,
            database: s.database_name ?? "",
            schema: s.schema_name ?? "public",
            table: s.table_name ?? "",
            user: s.username ?? "",
          }
        : null,
    usedBy: (s.planning_attributes ?? []).map((a) => a.name).sort(),
    state: s.status,
    location:
      s.source_type === "database"
        ? `${s.host}:${s.port}/${s.database_name} · ${s.schema_name}.${s.table_name}`
        : "uploaded file",
    rowCount: s.row_count,
    error: s.error,
    checkedAt: formatTime(s.checked_at),
    columns: columnsOf(schemas[i] ?? s.schema),
    tableName: s.table_name,
    decision: s.tester_decision,
    notes: s.tester_notes,
    by: personName(s.decider),
    status: s.item_status,
  }));
}

export interface Classification {
  criticality?: string;
  risk_level?: string;
  information_security?: string;
  regulatory_flag?: boolean;
  pii_flag?: boolean;
  data_category?: string;
  evidence_type?: string;
  evidence_reference?: string;
}

export interface MappingView extends DecisionView {
  id: string;
  code: string;
  name: string;
  mappingType: string;
  source: string | null;
  /** The table the mapping names, as stored. */
  sourceTable: string | null;
  transformation: string | null;
  isPrimary: boolean;
  classification: Classification;
  riskScore: number;
  autoApproved: boolean;
}

type AttributeRow = Tables["planning_attributes"]["Row"];

export interface AttributeView extends DecisionView {
  id: string;
  name: string;
  dataType: string;
  description: string | null;
  businessDefinition: string | null;
  isMandatory: boolean;
  isCde: boolean;
  isPrimaryKey: boolean;
  maxLength: number | null;
  classification: string;
  dataSourceId: string | null;
  sourceColumn: string | null;
  transformation: string | null;
  /** Set when generation proposed the attribute: by which provider, how confident, and why. */
  proposal: Proposal | null;
  mappings: MappingView[];
}

const attributeSelect = `id, name, data_type, description, business_definition, is_mandatory, is_cde, is_primary_key,
  max_length, information_security_classification, data_source_id, source_column, transformation_rule, llm_metadata,
  tester_decision, tester_notes, item_status, decider:profiles!tester_decided_by(full_name, email),
  planning_pde_mappings!attribute_id(id, pde_code, pde_name, mapping_type, source_table, source_column, source_field,
    transformation_rule, is_primary, classification, risk_score, auto_approved, tester_decision, tester_notes,
    item_status, decider:profiles!tester_decided_by(full_name, email))`;

export interface AttributePage {
  rows: AttributeView[];
  total: number;
  pages: number;
}

/**
 * One page of a version's attributes with their PDE mappings. Filters, order and paging are PostgREST's
 * (indexes on the version do the work), so a version of thousands of attributes costs one page per request.
 */
export async function listAttributes(
  supabase: Client,
  versionId: string,
  query: AttributeQuery,
): Promise<AttributePage> {
  let request = supabase
    .from("planning_attributes")
    .select(attributeSelect, { count: "exact" })
    .eq("version_id", versionId);
  if (query.q) request = request.ilike("name", containsPattern(query.q));
  if (query.status) request = request.eq("item_status", query.status);
  if (query.security) request = request.eq("information_security_classification", query.security);
  if (query.cde) request = request.eq("is_cde", true);
  if (query.pk) request = request.eq("is_primary_key", true);
  if (query.mandatory) request = request.eq("is_mandatory", true);
  const from = (query.page - 1) * attributePageSize;
  const { data, error, count } = await request
    .order(query.sort, { ascending: query.dir === "asc" })
    .order("name")
    .order("id")
    .order("pde_code", { referencedTable: "planning_pde_mappings" })
    .range(from, from + attributePageSize - 1);
  // A page past the end (e.g. after filtering) is an empty page, not an error.
  if (error && error.code !== "PGRST103") throw new Error(`attributes query failed: ${error.message}`);
  const total = count ?? 0;
  return {
    rows: (data ?? []).map(toAttributeView),
    total,
    pages: Math.max(1, Math.ceil(total / attributePageSize)),
  };
}

type AttributeResult = Pick<
  AttributeRow,
  | "id"
  | "name"
  | "data_type"
  | "description"
  | "business_definition"
  | "is_mandatory"
  | "is_cde"
  | "is_primary_key"
  | "max_length"
  | "information_security_classification"
  | "data_source_id"
  | "source_column"
  | "transformation_rule"
  | "llm_metadata"
  | "tester_decision"
  | "tester_notes"
  | "item_status"
> & {
  decider: Person | null;
  planning_pde_mappings: (Pick<
    Tables["planning_pde_mappings"]["Row"],
    | "id"
    | "pde_code"
    | "pde_name"
    | "mapping_type"
    | "source_table"
    | "source_column"
    | "source_field"
    | "transformation_rule"
    | "is_primary"
    | "classification"
    | "risk_score"
    | "auto_approved"
    | "tester_decision"
    | "tester_notes"
    | "item_status"
  > & { decider: Person | null })[];
};

function toAttributeView(a: AttributeResult): AttributeView {
  return {
    id: a.id,
    name: a.name,
    dataType: a.data_type,
    description: a.description,
    businessDefinition: a.business_definition,
    isMandatory: a.is_mandatory,
    isCde: a.is_cde,
    isPrimaryKey: a.is_primary_key,
    maxLength: a.max_length,
    classification: a.information_security_classification,
    dataSourceId: a.data_source_id,
    sourceColumn: a.source_column,
    transformation: a.transformation_rule,
    proposal: proposalOf(a.llm_metadata, "confidence_score"),
    decision: a.tester_decision,
    notes: a.tester_notes,
    by: personName(a.decider),
    status: a.item_status,
    mappings: a.planning_pde_mappings.map((m) => ({
      id: m.id,
      code: m.pde_code,
      name: m.pde_name,
      mappingType: m.mapping_type,
      source: [m.source_table, m.source_column ?? m.source_field].filter(Boolean).join(".") || null,
      sourceTable: m.source_table,
      transformation: m.transformation_rule,
      isPrimary: m.is_primary,
      classification: (m.classification ?? {}) as Classification,
      riskScore: m.risk_score,
      autoApproved: m.auto_approved,
      decision: m.tester_decision,
      notes: m.tester_notes,
      by: personName(m.decider),
      status: m.item_status,
    })),
  };
}

/** One attribute of the version (for its edit form), or null. */
export async function getAttribute(supabase: Client, versionId: string, id: string): Promise<AttributeView | null> {
  const { data, error } = await supabase
    .from("planning_attributes")
    .select(attributeSelect)
    .eq("version_id", versionId)
    .eq("id", id)
    .maybeSingle();
  // A malformed id in the address is simply no attribute.
  if (error && error.code !== "22P02") throw new Error(`attribute query failed: ${error.message}`);
  return data ? toAttributeView(data) : null;
}

/** Everything the planning workspace of one cycle report shows, or null when the report is not visible. */
export async function loadWorkspace(supabase: Client, viewer: Viewer, cycleReportId: number, url: URL) {
  const cycleReport = await getCycleReport(supabase, viewer, cycleReportId);
  const phase = cycleReport?.phases.find((p) => p.name === "planning");
  if (!cycleReport || !phase) return null;
  const versions = await listPlanningVersions(supabase, phase.id);
  const params = url.searchParams;
  const version = versions.find((v) => v.id === params.get("version")) ?? versions[0] ?? null;
  const query = parseAttributeQuery(params);
  // The generation job is read before the attributes: a job seen as finished then has its proposals in the
  // read after it, and a job seen running is polled until it ends and the page reloads.
  const jobId = params.get("job");
  const job = isUuid(jobId) ? await readGenerationJob(supabase, jobId) : null;
  const [sources, attributes]: [SourceView[], AttributePage | null] = version
    ? await Promise.all([listSources(supabase, version.id), listAttributes(supabase, version.id, query)])
    : [[], null];
  // A mapping names its table as stored (an upload's is upload_<id>): people read the source's name.
  const sourceNames = new Map(sources.filter((s) => s.tableName).map((s) => [s.tableName!, s.name]));
  for (const attribute of attributes?.rows ?? []) {
    for (const m of attribute.mappings) {
      const name = m.sourceTable ? sourceNames.get(m.sourceTable) : undefined;
      if (name && m.source) m.source = [name, m.source.slice(m.sourceTable!.length + 1)].filter(Boolean).join(" · ");
    }
  }
  const uploadError = params.get("upload_error");
  // The upload form's own problems (no file, a name too long) beside its fields; the function's in the banner.
  const uploadFields =
    uploadError && Object.hasOwn(uploadFieldErrors, uploadError) ? uploadFieldErrors[uploadError]! : null;
  return {
    cycleReport: {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      relationship: cycleReport.relationship,
    },
    phase: { id: phase.id, status: phase.status, label: phase.label },
    versions,
    version,
    sources,
    attributes,
    query,
    editId: params.get("edit"),
    mapId: params.get("map"),
    uploadRefusal: uploadError && !uploadFields ? uploadRefusal(uploadError, env.UPLOAD_MAX_BYTES) : null,
    uploadFormErrors: uploadFields ? { formId: uploadFormId, fieldErrors: uploadFields } : null,
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    job,
  };
}
