// The planning workspace's form schemas, read by the browser (errors beside their fields before anything is
// sent) and by the server (planning-actions.server.ts), so both say the same about the same values.
import { z } from "zod";
import { classifications, dataTypes } from "./planning-query";

export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || null)
    .nullish()
    .transform((v) => v ?? null);
// Checkboxes send "on" when ticked and nothing otherwise.
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v !== undefined);
const levels = ["low", "medium", "high"] as const;

export const attributeFields = z.object({
  name: z.string().trim().min(1, "Give the attribute a name.").max(255),
  data_type: z.enum(dataTypes),
  description: text(10_000),
  business_definition: text(10_000),
  is_mandatory: checkbox,
  is_cde: checkbox,
  is_primary_key: checkbox,
  max_length: z
    .union([z.literal("").transform(() => null), z.coerce.number().int().positive("Max length must be positive.")])
    .nullish()
    .transform((v) => v ?? null),
  information_security_classification: z.enum(classifications),
  data_source_id: z
    .union([z.literal("").transform(() => null), z.string().uuid()])
    .nullish()
    .transform((v) => v ?? null),
  source_column: text(255),
  transformation_rule: text(10_000),
});

export const mappingFields = z.object({
  attribute_id: z.string().uuid(),
  pde_code: z.string().trim().min(1, "Give the mapping a PDE code.").max(100),
  pde_name: z.string().trim().min(1, "Give the mapping a PDE name.").max(255),
  mapping_type: z.enum(["direct", "conditional", "derived", "lookup"]),
  // "<data source id>:<column>" from the list of the version's sources and their recorded columns, or nothing.
  source: z
    .string()
    .default("")
    .refine((v) => v === "" || /^[0-9a-f-]{36}:.+$/i.test(v), "Choose the source column from the list.")
    .transform((v) => (v === "" ? null : { dataSourceId: v.slice(0, 36), column: v.slice(37) })),
  transformation_rule: text(10_000),
  is_primary: checkbox,
  criticality: z.enum(levels),
  risk_level: z.enum(levels),
  information_security: z.enum(classifications),
  regulatory_flag: checkbox,
  pii_flag: checkbox,
  data_category: text(100),
});

const versionId = z.object({ version_id: z.string().uuid() });
/** Adding an attribute to a draft. */
export const addAttributeForm = versionId.and(attributeFields);
/** Adding a PDE mapping to an attribute of a draft. */
export const addMappingForm = versionId.and(mappingFields);
