/** Information security classes of the planning seed, least to most sensitive. */
export const SECURITY_CLASSES = ["public", "internal", "confidential", "restricted"] as const;
export type SecurityClass = (typeof SECURITY_CLASSES)[number];

/** Attribute data types of the planning seed. */
export const DATA_TYPES = ["string", "integer", "decimal", "boolean", "date", "datetime", "text"] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const RULE_TYPES = ["completeness", "validity", "accuracy", "consistency", "uniqueness"] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const SEVERITIES = ["low", "medium", "high"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LEVELS = ["low", "medium", "high"] as const;
export type Level = (typeof LEVELS)[number];

export type ScalarValue = string | number | boolean;

/** What a data source's schema records about one column (ingestion or "test connection" fills it). */
export interface ColumnProfile {
  name: string;
  /** Declared or inferred type, e.g. `integer`, `numeric(15,2)`, `date`, `text`. */
  type: string;
  nullCount: number;
  distinctCount: number;
  min?: ScalarValue | null;
  max?: ScalarValue | null;
  /** Longest value in characters, for string columns. */
  maxLength?: number | null;
  /** A few distinct example values; shown to a provider only when the column's class allows it. */
  exampleValues?: ScalarValue[];
  /** Set when someone has classified the column already; unclassified columns are judged by name and values. */
  classification?: SecurityClass | null;
}

export interface DataSourceProfile {
  /** The data source's name in the planning version. */
  name: string;
  table: string;
  rowCount: number;
  columns: ColumnProfile[];
}

export interface GenerationContext {
  reportType?: string | null;
  regulatoryContext?: string | null;
}

/** One call's worth of planning input: some columns of some data sources. */
export interface AttributeBatch extends GenerationContext {
  dataSources: DataSourceProfile[];
}

/** An approved planning attribute, with the profile of the column it maps to. */
export interface ApprovedAttribute {
  name: string;
  dataType: DataType;
  description?: string | null;
  isMandatory: boolean;
  isCde: boolean;
  isPrimaryKey: boolean;
  maxLength?: number | null;
  classification: SecurityClass;
  source: { dataSource: string; table: string; column: string; rowCount: number; profile: ColumnProfile };
  /** Every column of the source table, so a rule may name another column (comparisons, composite keys). */
  tableColumns: Array<{ name: string; type: string }>;
}

/** One call's worth of profiling input. */
export interface RuleBatch extends GenerationContext {
  attributes: ApprovedAttribute[];
}
