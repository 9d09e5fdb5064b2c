import {
  type Audience,
  planningValuePolicy,
  policyForClass,
  type ValuePolicy,
  type WithheldBecause,
} from "../privacy.ts";
import type {
  AttributeBatch,
  ColumnProfile,
  DataType,
  GenerationContext,
  Level,
  RuleBatch,
  ScalarValue,
  ScopingBatch,
  SecurityClass,
} from "../types.ts";

/**
 * What a provider is shown of the data: the only place values pass the privacy gate, and what gets recorded as
 * the request. Remote models and the offline provider see the same view, except that at planning time the
 * offline provider, which sends nothing anywhere, may read values of unclassified columns that look harmless.
 */
export interface ColumnView {
  /** The column's name in the table: what sources, mappings and rule definitions name. */
  name: string;
  /** The header as written in the uploaded file, only where ingestion renamed it: what people read. */
  original_name?: string;
  type: string;
  null_count: number;
  distinct_count: number;
  max_length: number | null;
  classification: SecurityClass | null;
  min?: ScalarValue | null;
  max?: ScalarValue | null;
  example_values?: ScalarValue[];
  /** Set when values were held back, with the reason. */
  values_withheld?: { because: WithheldBecause; detail: string };
}

export interface PlanningView {
  report_type: string | null;
  regulatory_context: string | null;
  data_sources: Array<{ name: string; table: string; row_count: number; columns: ColumnView[] }>;
}

export interface AttributeView {
  name: string;
  data_type: DataType;
  description: string | null;
  is_mandatory: boolean;
  is_cde: boolean;
  is_primary_key: boolean;
  max_length: number | null;
  information_security_classification: SecurityClass;
  source: { data_source: string; table: string; column: string };
  row_count: number;
  column: ColumnView;
  table_columns: Array<{ name: string; type: string; original_name?: string }>;
}

export interface ProfilingView {
  report_type: string | null;
  regulatory_context: string | null;
  attributes: AttributeView[];
}

const MAX_CONTEXT_CHARS = 4000;
const MAX_EXAMPLES = 10;
const MAX_EXAMPLE_CHARS = 100;

function context(batch: GenerationContext) {
  return {
    report_type: batch.reportType?.slice(0, 200) ?? null,
    regulatory_context: batch.regulatoryContext?.slice(0, MAX_CONTEXT_CHARS) ?? null,
  };
}

const clip = (value: ScalarValue | null | undefined) =>
  typeof value === "string" ? value.slice(0, MAX_EXAMPLE_CHARS) : (value ?? null);

/** The header, only where it differs from the column's name (a database table's columns never carry one). */
const originalName = (column: { name: string; originalName?: string }): { original_name?: string } =>
  column.originalName && column.originalName !== column.name
    ? { original_name: column.originalName.slice(0, MAX_EXAMPLE_CHARS) }
    : {};

function columnView(column: ColumnProfile, policy: ValuePolicy, classification: SecurityClass | null): ColumnView {
  const view: ColumnView = {
    name: column.name,
    ...originalName(column),
    type: column.type,
    null_count: column.nullCount,
    distinct_count: column.distinctCount,
    max_length: column.maxLength ?? null,
    classification,
  };
  if (!policy.show) return { ...view, values_withheld: { because: policy.because, detail: policy.reason } };
  return {
    ...view,
    min: clip(column.min),
    max: clip(column.max),
    example_values: (column.exampleValues ?? []).slice(0, MAX_EXAMPLES).map((v) => clip(v) as ScalarValue),
  };
}

/** The planning view for a remote model (values only of columns classified public or internal) or, `local`, for the offline provider. */
export function planningView(batch: AttributeBatch, audience: Audience = "remote"): PlanningView {
  return {
    ...context(batch),
    data_sources: batch.dataSources.map((source) => ({
      name: source.name,
      table: source.table,
      row_count: source.rowCount,
      columns: source.columns.map((c) => columnView(c, planningValuePolicy(c, audience), c.classification ?? null)),
    })),
  };
}

export function profilingView(batch: RuleBatch): ProfilingView {
  return {
    ...context(batch),
    attributes: batch.attributes.map((a) => ({
      name: a.name,
      data_type: a.dataType,
      description: a.description ?? null,
      is_mandatory: a.isMandatory,
      is_cde: a.isCde,
      is_primary_key: a.isPrimaryKey,
      max_length: a.maxLength ?? null,
      information_security_classification: a.classification,
      source: { data_source: a.source.dataSource, table: a.source.table, column: a.source.column },
      row_count: a.source.rowCount,
      // The attribute's approved class decides, whatever the column profile said before.
      column: columnView(a.source.profile, policyForClass(a.classification), a.classification),
      table_columns: a.tableColumns.map((c) => ({ name: c.name, type: c.type, ...originalName(c) })),
    })),
  };
}

/** What a provider is shown to scope attributes: their planning definitions and the policy's verdicts, no values. */
export interface ScopingView {
  report_type: string | null;
  regulatory_context: string | null;
  attributes: Array<{
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
    policy_keeps_in_scope: string[];
    policy_risk_rating: Level;
  }>;
}

export function scopingView(batch: ScopingBatch): ScopingView {
  return {
    ...context(batch),
    attributes: batch.attributes.map((a) => ({
      name: a.name,
      data_type: a.dataType,
      description: a.description ?? null,
      is_mandatory: a.isMandatory,
      is_cde: a.isCde,
      is_primary_key: a.isPrimaryKey,
      information_security_classification: a.classification,
      risk_score: a.riskScore,
      regulatory: a.regulatory,
      personal_data: a.personalData,
      policy_keeps_in_scope: a.policyReasons,
      policy_risk_rating: a.policyRiskRating,
    })),
  };
}
