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
  /** The column's name in the table: what rules and mappings name. */
  name: string;
  /**
   * The header as written in the uploaded file, when ingestion had to rename it (`Loan-ID` → `loan_id_2`, `#` →
   * `column_3`); absent or equal to `name` otherwise. What people read; never what a definition names.
   */
  originalName?: string;
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
  tableColumns: Array<{ name: string; type: string; originalName?: string }>;
}

/** What a probe measures of one column of a source table, read from the data itself. */
export interface ColumnDistribution {
  rows: number;
  nulls: number;
  /** Text: values that are empty or only blanks (not null). */
  blanks?: number;
  /** Numbers: negative values and the 1st, 5th, 25th, 50th, 75th, 95th and 99th percentiles. */
  negatives?: number;
  percentiles?: { p1: number; p5: number; p25: number; p50: number; p75: number; p95: number; p99: number };
  /** Numbers: the 50th and 99th percentiles of the absolute values. */
  magnitudes?: { p50: number; p99: number };
  /** Dates: values after the given day. */
  future?: number;
  /** Up to 50 most frequent values with their rows (as text), when the column has at most 50 distinct values. */
  frequent?: Array<{ value: string; rows: number }>;
  /** Up to 200 distinct values (as text), for shapes. */
  sample?: string[];
}

/** A source table of a batch, as the attributes name it. */
export interface TableRef {
  dataSource: string;
  table: string;
}

/**
 * Reads the data behind a batch's attributes, for a provider that runs on this machine (the offline one): a
 * remote model is never given one. `failures` runs rule definitions on the table the way rule execution does and
 * answers each one's failing rows, so what a proposal says of the data has been checked on the data.
 */
export interface DataProbe {
  /** Undefined when the table cannot be read. */
  distributions(
    table: TableRef,
    columns: string[],
    today: string,
  ): Promise<Map<string, ColumnDistribution> | undefined>;
  /** Each definition's failing rows (null: it did not run); undefined when the table cannot be read. */
  failures(table: TableRef, definitions: unknown[]): Promise<Array<number | null> | undefined>;
}

/** One call's worth of profiling input. */
export interface RuleBatch extends GenerationContext {
  attributes: ApprovedAttribute[];
  /** The data itself, when the provider may read it (see DataProbe); never part of a prompt or record. */
  probe?: DataProbe;
}

export const TESTING_APPROACHES = ["sample_testing", "data_quality_rules", "both"] as const;
export type TestingApproach = (typeof TESTING_APPROACHES)[number];

/** A planning attribute to scope, with what its PDE mappings say and what the scoping policy requires of it. */
export interface ScopingAttribute {
  name: string;
  dataType: DataType;
  description?: string | null;
  isMandatory: boolean;
  isCde: boolean;
  isPrimaryKey: boolean;
  classification: SecurityClass;
  /** Highest risk score (0–10) of its PDE mappings; 0 without mappings. */
  riskScore: number;
  /** One of its PDE mappings carries the regulatory flag. */
  regulatory: boolean;
  /** One of its PDE mappings flags personal data. */
  personalData: boolean;
  /** Why the scoping policy keeps it in scope (empty: it may be left out). */
  policyReasons: string[];
  /** The risk rating the policy's thresholds give its risk score. */
  policyRiskRating: Level;
}

/** One call's worth of scoping input. */
export interface ScopingBatch extends GenerationContext {
  attributes: ScopingAttribute[];
}
