import { z } from "zod";
import { DATA_TYPES, LEVELS, SECURITY_CLASSES, type AttributeBatch } from "../types.ts";
import {
  array,
  boolean,
  confidence,
  enumeration,
  label,
  nullable,
  number,
  object,
  string,
  text,
  type ResponseFormat,
} from "./common.ts";

export const MAPPING_TYPES = ["direct", "derived", "conditional"] as const;

const classificationSchema = z
  .object({
    criticality: z.enum(LEVELS),
    risk_level: z.enum(LEVELS),
    information_security: z.enum(SECURITY_CLASSES),
    regulatory_flag: z.boolean(),
    pii_flag: z.boolean(),
    data_category: label(60),
    evidence_type: label(60),
    evidence_reference: text(500),
  })
  .strict();

const pdeMappingSchema = z
  .object({
    pde_name: label(200),
    pde_code: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must use only letters, digits and _.-"),
    mapping_type: z.enum(MAPPING_TYPES),
    source_table: z.string().min(1).max(128),
    source_column: z.string().min(1).max(128),
    // Descriptive only: shown to people, never executed.
    transformation_rule: text(500).nullable(),
    is_primary: z.boolean(),
    classification: classificationSchema,
    confidence,
  })
  .strict();

const attributeSchema = z
  .object({
    name: label(100),
    data_type: z.enum(DATA_TYPES),
    description: text(1000),
    business_definition: text(2000),
    is_mandatory: z.boolean(),
    is_cde: z.boolean(),
    is_primary_key: z.boolean(),
    max_length: z.number().int().positive().max(1_000_000).nullable(),
    information_security_classification: z.enum(SECURITY_CLASSES),
    source: z
      .object({
        data_source: z.string().min(1).max(200),
        table: z.string().min(1).max(128),
        column: z.string().min(1).max(128),
      })
      .strict(),
    pde_mappings: z.array(pdeMappingSchema).min(1).max(5),
    confidence,
    rationale: text(1000),
  })
  .strict();

export type AttributeProposal = z.infer<typeof attributeSchema>;
export type PdeMappingProposal = z.infer<typeof pdeMappingSchema>;

const MAX_ATTRIBUTES_PER_COLUMN = 3;

/**
 * The output schema for one batch: the shape above, plus references checked against the batch's columns
 * (no attribute or mapping may point at a column it was not shown) and unique names and codes.
 */
export function attributesOutputSchema(batch: AttributeBatch) {
  const columns = new Map<string, Set<string>>();
  for (const source of batch.dataSources) {
    columns.set(`${source.name}\u0000${source.table}`, new Set(source.columns.map((c) => c.name)));
  }
  const shown = batch.dataSources.reduce((n, s) => n + s.columns.length, 0);
  return z
    .object({ attributes: z.array(attributeSchema).max(Math.max(1, shown * MAX_ATTRIBUTES_PER_COLUMN)) })
    .strict()
    .superRefine(({ attributes }, ctx) => {
      const names = new Set<string>();
      attributes.forEach((attribute, i) => {
        const key = attribute.name.toLowerCase();
        if (names.has(key))
          ctx.addIssue({ code: "custom", path: ["attributes", i, "name"], message: "duplicate name" });
        names.add(key);
        const { data_source, table, column } = attribute.source;
        const tableColumns = columns.get(`${data_source}\u0000${table}`);
        if (!tableColumns?.has(column)) {
          ctx.addIssue({
            code: "custom",
            path: ["attributes", i, "source"],
            message: `unknown column ${data_source}/${table}.${column}`,
          });
        }
        const codes = new Set<string>();
        attribute.pde_mappings.forEach((mapping, j) => {
          const path = ["attributes", i, "pde_mappings", j];
          if (codes.has(mapping.pde_code))
            ctx.addIssue({ code: "custom", path: [...path, "pde_code"], message: "duplicate code" });
          codes.add(mapping.pde_code);
          if (!columns.get(`${data_source}\u0000${mapping.source_table}`)?.has(mapping.source_column)) {
            ctx.addIssue({
              code: "custom",
              path,
              message: `unknown column ${mapping.source_table}.${mapping.source_column}`,
            });
          }
        });
      });
    });
}

const classificationJson = object({
  criticality: enumeration(LEVELS),
  risk_level: enumeration(LEVELS),
  information_security: enumeration(SECURITY_CLASSES),
  regulatory_flag: boolean,
  pii_flag: boolean,
  data_category: string("e.g. financial_data, personal_data, identifier, temporal, reference_data"),
  evidence_type: string("e.g. regulatory_mapping, naming_convention, data_profile"),
  evidence_reference: string("the regulation, instruction or observation the classification rests on"),
});

/** JSON Schema of the same shape, for `response_format` (strict structured output). */
export const attributesResponseFormat: ResponseFormat = {
  name: "planning_attributes",
  schema: object({
    attributes: array(
      object({
        name: string("attribute name, at most 100 characters"),
        data_type: enumeration(DATA_TYPES),
        description: string("at most 1000 characters"),
        business_definition: string("at most 2000 characters"),
        is_mandatory: boolean,
        is_cde: boolean,
        is_primary_key: boolean,
        max_length: nullable("integer"),
        information_security_classification: enumeration(SECURITY_CLASSES),
        source: object({ data_source: string(), table: string(), column: string() }),
        pde_mappings: array(
          object({
            pde_name: string(),
            pde_code: string("letters, digits and _.- only, at most 64 characters"),
            mapping_type: enumeration(MAPPING_TYPES),
            source_table: string(),
            source_column: string(),
            transformation_rule: nullable("string"),
            is_primary: boolean,
            classification: classificationJson,
            confidence: number("0 to 1"),
          }),
        ),
        confidence: number("0 to 1"),
        rationale: string("at most 1000 characters"),
      }),
    ),
  }),
};
