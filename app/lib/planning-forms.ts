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

/** A port typed or left blank (the server's default, 5432); anything else is said beside the field. */
const port = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.coerce
    .number({ invalid_type_error: "Give the port as a number between 1 and 65535." })
    .int("Give the port as a number between 1 and 65535.")
    .min(1, "Give the port as a number between 1 and 65535.")
    .max(65535, "Give the port as a number between 1 and 65535.")
    .optional(),
);

/** The connection of an external PostgreSQL table (a database source). */
export const databaseFields = z.object({
  name: z.string().trim().min(1, "Give the data source a name.").max(255, "Keep the name within 255 characters."),
  host: z.string().trim().min(1, "Enter the host.").max(255, "Keep the host within 255 characters."),
  port,
  database: z.string().trim().min(1, "Enter the database.").max(63, "Keep the database within 63 characters."),
  schema: z
    .string()
    .trim()
    .max(63, "Keep the schema within 63 characters.")
    .transform((v) => v || undefined)
    .optional(),
  table: z.string().trim().min(1, "Enter the table.").max(63, "Keep the table within 63 characters."),
  user: z.string().trim().min(1, "Enter the user.").max(63, "Keep the user within 63 characters."),
  password: z.string().min(1, "Enter the password.").max(1000, "Keep the password within 1000 characters."),
});

/** A correction of a source: an upload's name and description; a database source's connection too. */
export const sourceUpdateFields = z.discriminatedUnion("source_type", [
  z.object({
    source_type: z.literal("file_upload"),
    name: databaseFields.shape.name,
    description: text(10_000),
  }),
  databaseFields.extend({
    source_type: z.literal("database"),
    description: text(10_000),
    // Blank keeps the stored password.
    password: z.string().max(1000, "Keep the password within 1000 characters.").default(""),
  }),
]);

/** The upload form's id: its field errors come back to it (as JSON, or by the address without JavaScript). */
export const uploadFormId = "upload";

/**
 * A CSV upload: an optional name (the file's by default) and a file chosen. The browser reads the file chosen;
 * the server, streaming the body, reads the name and whether a file came (`file: true`). A file over the size
 * limit is the upload function's refusal (413 too_large), which the browser says before a byte is sent.
 */
export const uploadForm = z.object({
  name: z.string().trim().max(255, "Keep the name within 255 characters.").default(""),
  file: z
    .union([z.literal(true), z.custom<{ name: string }>((v) => typeof v === "object" && v !== null)])
    .refine((f) => f === true || Boolean(f.name), "Choose a CSV file to upload."),
});

/** The upload form's problems found without JavaScript, as the upload's address names them (upload_error). */
export const uploadFieldErrors: Record<string, Partial<Record<"name" | "file", string>>> = {
  no_file: { file: "Choose a CSV file to upload." },
  invalid_name: { name: "Keep the name within 255 characters." },
};

const versionId = z.object({ version_id: z.string().uuid() });
/** Adding an attribute to a draft. */
export const addAttributeForm = versionId.and(attributeFields);
/** Adding a PDE mapping to an attribute of a draft. */
export const addMappingForm = versionId.and(mappingFields);
/** Adding a database source to a draft. */
export const addDatabaseSourceForm = versionId.and(databaseFields);
/** Correcting a source of a draft. */
export const updateSourceForm = z
  .object({ item_id: z.string().uuid(), version_id: z.string().uuid().optional() })
  .and(sourceUpdateFields);
