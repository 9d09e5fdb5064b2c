/** The shape of a data source's table, whether loaded from a CSV upload or read from an external database. */

/** Column types the product distinguishes; anything else a database may hold is `other`. */
export type ColumnType =
  | "boolean"
  | "integer"
  | "bigint"
  | "numeric"
  | "date"
  | "timestamp"
  | "timestamptz"
  | "time"
  | "text"
  | "uuid"
  | "json"
  | "other";

/** Where the null and distinct counts come from: every row, a bounded sample, or the planner's statistics. */
export type StatsSource = "full_scan" | "sample" | "pg_stats";

export interface ColumnSchema {
  /** Column name in the table (for uploads: the normalized, safe identifier). */
  name: string;
  /** The header as written in the file, or the catalog name for external tables. */
  originalName: string;
  /** 1-based position. */
  position: number;
  type: ColumnType;
  /** The exact PostgreSQL type, e.g. `numeric(15,2)` or `character varying(40)`. */
  pgType: string;
  nullable: boolean;
  nullCount: number | null;
  distinctCount: number | null;
  distinctIsEstimate: boolean;
  /** Smallest and largest value, as text, for numbers, dates and timestamps. */
  min: string | null;
  max: string | null;
  /** Longest value in characters, for text columns. */
  maxLength: number | null;
  /** A few non-null values, as text. */
  examples: string[];
}

export interface SourceSchema {
  schema: string;
  table: string;
  columns: ColumnSchema[];
  rowCount: number;
  rowCountIsEstimate: boolean;
  statsSource: StatsSource;
}

/** Attribute data types of the planning phase (the seed's list). */
export type AttributeDataType = "string" | "integer" | "decimal" | "boolean" | "date" | "datetime" | "text";

/** The planning attribute data type a column of this type corresponds to. */
export function attributeDataType(type: ColumnType): AttributeDataType {
  switch (type) {
    case "boolean":
      return "boolean";
    case "integer":
    case "bigint":
      return "integer";
    case "numeric":
      return "decimal";
    case "date":
      return "date";
    case "timestamp":
    case "timestamptz":
      return "datetime";
    case "text":
      return "text";
    default:
      return "string";
  }
}

/** Maps a catalog type name (as `format_type` prints it) to the product's column type. */
export function columnTypeOf(pgType: string): ColumnType {
  const base = pgType.replace(/\(.*?\)/g, "").trim();
  if (base.endsWith("[]")) return "other";
  switch (base) {
    case "boolean":
      return "boolean";
    case "smallint":
    case "integer":
      return "integer";
    case "bigint":
      return "bigint";
    case "numeric":
    case "real":
    case "double precision":
    case "money":
      return "numeric";
    case "date":
      return "date";
    case "timestamp without time zone":
      return "timestamp";
    case "timestamp with time zone":
      return "timestamptz";
    case "time without time zone":
    case "time with time zone":
      return "time";
    case "text":
    case "character varying":
    case "character":
    case "citext":
    case "name":
      return "text";
    case "uuid":
      return "uuid";
    case "json":
    case "jsonb":
      return "json";
    default:
      return "other";
  }
}
