// Reads what a provider is given from the draft's data: column profiles from the data sources' recorded
// schemas (planning) and the approved attributes of the basis planning version (profiling).
import type postgres from "postgres";
import { PermanentJobError } from "../jobs/worker.ts";
import type {
  ApprovedAttribute,
  ColumnProfile,
  DataSourceProfile,
  DataType,
  Level,
  ScalarValue,
  ScopingAttribute,
  SecurityClass,
} from "../llm/types.ts";
import { SECURITY_CLASSES } from "../llm/types.ts";
import type { SourceConnectionDetails } from "../sources/connect.ts";
import type { ColumnTarget } from "./job.ts";

/** A column as planning_data_sources.schema records it (see sources/schema.ts). */
interface SchemaColumn {
  name: string;
  /** The header in the file (uploads) or the catalog name (database tables). */
  originalName?: string | null;
  type?: string;
  pgType?: string;
  nullCount?: number | null;
  distinctCount?: number | null;
  min?: string | null;
  max?: string | null;
  maxLength?: number | null;
  examples?: string[] | null;
}

export interface SourceRow {
  id: string;
  name: string;
  table_name: string;
  row_count: string | number | null;
  schema: { columns: SchemaColumn[] };
}

const NUMERIC = new Set(["integer", "bigint", "numeric"]);

/** Schema values are text; numbers and booleans are given back their type so ranges and counts read right. */
function scalar(value: string | null | undefined, type: string | undefined): ScalarValue | null {
  if (value === null || value === undefined) return null;
  if (type && NUMERIC.has(type)) {
    const number = Number(value);
    return Number.isFinite(number) ? number : value;
  }
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** The header people wrote, where ingestion renamed it; nothing when it is the column's name. */
const originalOf = (column: SchemaColumn): { originalName?: string } =>
  column.originalName && column.originalName !== column.name ? { originalName: column.originalName } : {};

export function columnProfile(column: SchemaColumn, classification: SecurityClass | null = null): ColumnProfile {
  return {
    name: column.name,
    ...originalOf(column),
    type: column.pgType ?? column.type ?? "text",
    nullCount: column.nullCount ?? 0,
    distinctCount: column.distinctCount ?? 0,
    min: scalar(column.min, column.type),
    max: scalar(column.max, column.type),
    maxLength: column.maxLength ?? null,
    exampleValues: (column.examples ?? []).map((v) => scalar(v, column.type)!),
    classification,
  };
}

/** The draft's version row, refused unless it is still a draft of the expected phase. */
export async function requireDraft(
  tx: postgres.TransactionSql,
  versionId: string,
  phase: "planning" | "scoping" | "data_profiling",
): Promise<{ based_on_version_id: string | null }> {
  const [version] = await tx<{ phase_name: string; version_status: string; based_on_version_id: string | null }[]>`
    select phase_name, version_status, based_on_version_id from public.artifact_versions where id = ${versionId}`;
  if (!version || version.phase_name !== phase)
    throw new PermanentJobError(`Version ${versionId} is not a ${phase} version.`);
  if (version.version_status !== "draft") {
    throw new PermanentJobError(`Version ${versionId} is ${version.version_status}; proposals go into drafts only.`);
  }
  return version;
}

/**
 * The draft's sources with schemas, each with its measured values (min, max, examples) put back from the private
 * table that keeps them out of the API: the service_role reads them all, and the providers' privacy rules decide
 * what a remote model sees.
 */
export async function loadSources(tx: postgres.TransactionSql, versionId: string): Promise<Map<string, SourceRow>> {
  const rows = await tx<SourceRow[]>`
    select s.id, s.name, s.table_name, s.row_count, private.source_schema_with_values(s.schema,
             (select v.columns from private.planning_data_source_values v where v.data_source_id = s.id), '{}') as schema
      from public.planning_data_sources s
     where s.version_id = ${versionId} and s.schema is not null`;
  return new Map(rows.map((r) => [r.id, r]));
}

/** Classifications of data-source columns by `<data source id>\u0000<column>`. */
export type ColumnClassifications = Map<string, SecurityClass>;

const columnKey = (sourceId: string, column: string) => `${sourceId}\u0000${column}`;

/**
 * What the draft already says about the security class of its data sources' columns: the classification of an
 * attribute read from the column, and the information_security of a PDE mapping to it (source_table = the data
 * source's table), restricted when the mapping flags personal data (pii_flag), as failed-row samples mask it.
 * When several say something, the most sensitive class wins. Columns without either are unclassified.
 */
export async function loadClassifications(
  tx: postgres.TransactionSql,
  versionId: string,
): Promise<ColumnClassifications> {
  const rows = await tx<{ data_source_id: string; source_column: string; classification: string }[]>`
    select a.data_source_id, a.source_column, a.information_security_classification as classification
      from public.planning_attributes a
     where a.version_id = ${versionId} and a.data_source_id is not null and a.source_column is not null
    union all
    select s.id, m.source_column,
           case when m.classification -> 'pii_flag' = 'true'::jsonb then 'restricted'
                else m.classification ->> 'information_security' end
      from public.planning_pde_mappings m
      join public.planning_data_sources s on s.version_id = m.version_id and s.table_name = m.source_table
     where m.version_id = ${versionId} and m.source_column is not null
       and (m.classification ? 'information_security' or m.classification -> 'pii_flag' = 'true'::jsonb)`;
  const classes: ColumnClassifications = new Map();
  const rank = (c: string | undefined) => SECURITY_CLASSES.indexOf(c as SecurityClass);
  for (const row of rows) {
    if (rank(row.classification) < 0) continue;
    const key = columnKey(row.data_source_id, row.source_column);
    if (rank(row.classification) > rank(classes.get(key))) classes.set(key, row.classification as SecurityClass);
  }
  return classes;
}

/**
 * One batch of columns as data-source profiles, in target order, with the classification the draft gives each
 * column (none: unclassified). Columns removed since the job was queued are left out (the batch keeps its place,
 * so later batches keep their keys).
 */
export function columnBatch(
  targets: ColumnTarget[],
  sources: Map<string, SourceRow>,
  classifications: ColumnClassifications = new Map(),
): DataSourceProfile[] {
  const profiles = new Map<string, DataSourceProfile>();
  for (const target of targets) {
    const source = sources.get(target.data_source_id);
    const column = source?.schema.columns.find((c) => c.name === target.column);
    if (!source || !column) continue;
    let profile = profiles.get(source.id);
    if (!profile) {
      profile = { name: source.name, table: source.table_name, rowCount: Number(source.row_count ?? 0), columns: [] };
      profiles.set(source.id, profile);
    }
    profile.columns.push(columnProfile(column, classifications.get(columnKey(source.id, column.name)) ?? null));
  }
  return [...profiles.values()];
}

interface AttributeRow {
  id: string;
  name: string;
  data_type: DataType;
  description: string | null;
  is_mandatory: boolean;
  is_cde: boolean;
  is_primary_key: boolean;
  max_length: number | null;
  information_security_classification: SecurityClass;
  source_column: string;
  source: SourceRow;
  connection: AttributeSource;
}

/** Where the attribute's rows are, for the offline provider's probe (sources/connect.ts). */
export interface AttributeSource extends SourceConnectionDetails {
  id: string;
  schema_name: string;
  table_name: string;
}

export type LoadedAttribute = ApprovedAttribute & { id: string; dataSource: AttributeSource };

/** Approved attributes with the profile of their column and their table's columns, by id. */
export async function loadAttributes(
  tx: postgres.TransactionSql,
  ids: string[],
): Promise<Map<string, LoadedAttribute>> {
  const rows = await tx<AttributeRow[]>`
    select a.id, a.name, a.data_type, a.description, a.is_mandatory, a.is_cde, a.is_primary_key, a.max_length,
           a.information_security_classification, a.source_column,
           jsonb_build_object('id', s.id, 'name', s.name, 'table_name', s.table_name, 'row_count', s.row_count,
                              'schema', private.source_schema_with_values(s.schema,
                                (select v.columns from private.planning_data_source_values v where v.data_source_id = s.id),
                                '{}')) as source,
           jsonb_build_object('id', s.id, 'name', s.name, 'source_type', s.source_type, 'schema_name', s.schema_name,
                              'table_name', s.table_name, 'host', s.host, 'port', s.port,
                              'database_name', s.database_name, 'username', s.username,
                              'password', secret.password) as connection
      from public.planning_attributes a join public.planning_data_sources s on s.id = a.data_source_id
      left join private.planning_data_source_secrets secret on secret.data_source_id = s.id
     where a.id = any(${ids}::uuid[]) and a.item_status = 'approved' and s.schema is not null`;
  const loaded = new Map<string, LoadedAttribute>();
  for (const row of rows) {
    const column = row.source.schema.columns.find((c) => c.name === row.source_column);
    if (!column) continue;
    loaded.set(row.id, {
      id: row.id,
      name: row.name,
      dataType: row.data_type,
      description: row.description,
      isMandatory: row.is_mandatory,
      isCde: row.is_cde,
      isPrimaryKey: row.is_primary_key,
      maxLength: row.max_length,
      classification: row.information_security_classification,
      source: {
        dataSource: row.source.name,
        table: row.source.table_name,
        column: row.source_column,
        rowCount: Number(row.source.row_count ?? 0),
        profile: columnProfile(column, row.information_security_classification),
      },
      tableColumns: row.source.schema.columns.map((c) => ({
        name: c.name,
        type: c.pgType ?? c.type ?? "text",
        ...originalOf(c),
      })),
      dataSource: row.connection,
    });
  }
  return loaded;
}

export type LoadedScopingAttribute = ScopingAttribute & { decisionId: string };

/**
 * The attributes behind scoping decisions of the draft, by decision id: their planning definitions, what their PDE
 * mappings say (highest risk score, regulatory flag, personal data) and the scoping policy's verdicts.
 */
export async function loadScopingAttributes(
  tx: postgres.TransactionSql,
  versionId: string,
  decisionIds: string[],
): Promise<Map<string, LoadedScopingAttribute>> {
  const rows = await tx<
    {
      decision_id: string;
      name: string;
      data_type: DataType;
      description: string | null;
      is_mandatory: boolean;
      is_cde: boolean;
      is_primary_key: boolean;
      information_security_classification: SecurityClass;
      risk_score: number;
      regulatory: boolean;
      personal_data: boolean;
      policy_reasons: string[];
      policy_risk_rating: Level;
    }[]
  >`
    select d.id as decision_id, a.name, a.data_type, a.description, a.is_mandatory, a.is_cde, a.is_primary_key,
           a.information_security_classification, private.attribute_risk_score(a.id)::int as risk_score,
           private.is_regulatory_attribute(a.id) as regulatory,
           exists (select 1 from public.planning_pde_mappings m
                    where m.attribute_id = a.id and m.classification -> 'pii_flag' = 'true'::jsonb) as personal_data,
           private.scoping_policy_reasons(a.id) as policy_reasons, private.policy_risk_rating(a.id)::text as policy_risk_rating
      from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
     where d.version_id = ${versionId} and d.id = any(${decisionIds}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.decision_id,
      {
        decisionId: r.decision_id,
        name: r.name,
        dataType: r.data_type,
        description: r.description,
        isMandatory: r.is_mandatory,
        isCde: r.is_cde,
        isPrimaryKey: r.is_primary_key,
        classification: r.information_security_classification,
        riskScore: r.risk_score,
        regulatory: r.regulatory,
        personalData: r.personal_data,
        policyReasons: r.policy_reasons,
        policyRiskRating: r.policy_risk_rating,
      },
    ]),
  );
}
