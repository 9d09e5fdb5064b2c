import type {
  ApprovedAttribute,
  AttributeBatch,
  DataSourceProfile,
  RuleBatch,
} from "../../supabase/functions/_shared/llm/types.ts";

/** Values that must never reach a prompt: they belong to restricted or confidential columns. */
export const SECRET_VALUES = [
  "123-45-6789",
  "987-65-4321",
  "Ada Lovelace",
  "Grace Hopper",
  "ada@example.com",
  "grace@example.org",
  "1961-07-04",
  "1985-02-28",
  "call the borrower about arrears",
];

/** A small loan tape: five loans, with personal columns next to business ones. */
export const loans: DataSourceProfile = {
  name: "Loan tape",
  table: "loans",
  rowCount: 5,
  columns: [
    {
      name: "loan_id",
      type: "integer",
      nullCount: 0,
      distinctCount: 5,
      min: 1001,
      max: 1005,
      exampleValues: [1001, 1002, 1003, 1004, 1005],
    },
    { name: "customer_id", type: "integer", nullCount: 0, distinctCount: 3, min: 1, max: 3, exampleValues: [1, 2, 3] },
    {
      name: "borrower_name",
      type: "varchar(100)",
      nullCount: 0,
      distinctCount: 5,
      maxLength: 12,
      exampleValues: ["Ada Lovelace", "Grace Hopper"],
    },
    {
      name: "ssn",
      type: "varchar(11)",
      nullCount: 0,
      distinctCount: 5,
      maxLength: 11,
      min: "123-45-6789",
      max: "987-65-4321",
      exampleValues: ["123-45-6789", "987-65-4321"],
    },
    {
      name: "contact",
      type: "varchar(100)",
      nullCount: 1,
      distinctCount: 4,
      maxLength: 17,
      exampleValues: ["ada@example.com", "grace@example.org"],
    },
    {
      name: "date_of_birth",
      type: "date",
      nullCount: 0,
      distinctCount: 5,
      min: "1961-07-04",
      max: "1985-02-28",
      exampleValues: ["1961-07-04", "1985-02-28"],
    },
    {
      name: "loan_amount",
      type: "numeric(15,2)",
      nullCount: 0,
      distinctCount: 5,
      min: 1000.5,
      max: 250000,
      exampleValues: [1000.5, 250000],
    },
    {
      name: "currency",
      type: "varchar(3)",
      nullCount: 0,
      distinctCount: 2,
      maxLength: 3,
      exampleValues: ["USD", "EUR"],
    },
    {
      name: "branch_code",
      type: "varchar(8)",
      nullCount: 0,
      distinctCount: 5,
      maxLength: 8,
      exampleValues: ["GB123456", "FR654321", "DE000001", "GB000777", "IT123123"],
    },
    {
      name: "origination_date",
      type: "date",
      nullCount: 0,
      distinctCount: 5,
      min: "2019-01-15",
      max: "2024-06-30",
      exampleValues: ["2019-01-15", "2024-06-30"],
    },
    {
      name: "maturity_date",
      type: "date",
      nullCount: 1,
      distinctCount: 4,
      min: "2029-01-15",
      max: "2049-06-30",
      exampleValues: ["2029-01-15", "2049-06-30"],
    },
    {
      name: "status",
      type: "text",
      nullCount: 0,
      distinctCount: 3,
      maxLength: 7,
      classification: "internal",
      exampleValues: ["active", "closed", "default"],
    },
    {
      name: "remarks",
      type: "text",
      nullCount: 3,
      distinctCount: 2,
      maxLength: 31,
      exampleValues: ["call the borrower about arrears", "ok"],
    },
  ],
};

/** A counterparty table whose key is plainly `id`. */
export const counterparties: DataSourceProfile = {
  name: "Counterparties",
  table: "counterparties",
  rowCount: 4,
  columns: [
    { name: "id", type: "bigint", nullCount: 0, distinctCount: 4, min: 1, max: 4, exampleValues: [1, 2, 3, 4] },
    {
      name: "lei",
      type: "varchar(20)",
      nullCount: 0,
      distinctCount: 4,
      maxLength: 20,
      exampleValues: ["5493001KJTIIGC8Y1R12", "HWUPKR0MPOU8FGXBT394", "7LTWFZYICNSX8D621K86"],
    },
    {
      name: "country_code",
      type: "char(2)",
      nullCount: 0,
      distinctCount: 3,
      maxLength: 2,
      exampleValues: ["GB", "FR", "US"],
    },
    {
      name: "status",
      type: "text",
      nullCount: 0,
      distinctCount: 2,
      maxLength: 8,
      exampleValues: ["active", "inactive"],
    },
  ],
};

export const planningBatch: AttributeBatch = {
  reportType: "FR Y-14Q",
  regulatoryContext: "Schedule H.1: corporate loans held for investment.",
  dataSources: [loans],
};

const column = (source: DataSourceProfile, name: string) => source.columns.find((c) => c.name === name)!;

const approved = (
  source: DataSourceProfile,
  name: string,
  fields: Omit<ApprovedAttribute, "name" | "source" | "tableColumns">,
): ApprovedAttribute => ({
  name,
  ...fields,
  source: {
    dataSource: source.name,
    table: source.table,
    column: name,
    rowCount: source.rowCount,
    profile: column(source, name),
  },
  tableColumns: source.columns.map((c) => ({ name: c.name, type: c.type })),
});

/** Approved attributes of the loan tape, as planning would hand them to profiling. */
export const ruleBatch: RuleBatch = {
  reportType: "FR Y-14Q",
  attributes: [
    approved(loans, "loan_id", {
      dataType: "integer",
      isMandatory: true,
      isCde: true,
      isPrimaryKey: true,
      classification: "internal",
    }),
    approved(loans, "ssn", {
      dataType: "string",
      isMandatory: true,
      isCde: false,
      isPrimaryKey: false,
      classification: "restricted",
    }),
    approved(loans, "contact", {
      dataType: "string",
      isMandatory: false,
      isCde: false,
      isPrimaryKey: false,
      classification: "confidential",
    }),
    approved(loans, "date_of_birth", {
      dataType: "date",
      isMandatory: true,
      isCde: false,
      isPrimaryKey: false,
      classification: "restricted",
    }),
    approved(loans, "loan_amount", {
      dataType: "decimal",
      isMandatory: true,
      isCde: true,
      isPrimaryKey: false,
      classification: "internal",
    }),
    approved(loans, "currency", {
      dataType: "string",
      isMandatory: true,
      isCde: true,
      isPrimaryKey: false,
      classification: "public",
    }),
    approved(loans, "branch_code", {
      dataType: "string",
      isMandatory: false,
      isCde: false,
      isPrimaryKey: false,
      classification: "internal",
    }),
    approved(loans, "origination_date", {
      dataType: "date",
      isMandatory: true,
      isCde: true,
      isPrimaryKey: false,
      classification: "internal",
    }),
    approved(loans, "maturity_date", {
      dataType: "date",
      isMandatory: false,
      isCde: true,
      isPrimaryKey: false,
      classification: "internal",
    }),
    approved(loans, "remarks", {
      dataType: "text",
      isMandatory: false,
      isCde: false,
      isPrimaryKey: false,
      classification: "confidential",
    }),
  ],
};
