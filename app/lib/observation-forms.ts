// The observations page's form schemas, read by the browser (errors beside their fields before anything is sent)
// and by the server (observations.server.ts), so both say the same about the same values.
import { z } from "zod";
import { categories, severities } from "./observations";
import { uuid } from "./version-forms";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max.toLocaleString("en-US")} characters.`)
    .optional()
    .transform((v) => v || null);

/** A new observation, recorded by the tester. */
export const createObservationForm = z.object({
  cycle_report_id: z.coerce.number().int().positive(),
  title: z.string().trim().min(1, "Give the observation a title.").max(300, "Keep the title under 300 characters."),
  severity: z.enum(severities, { errorMap: () => ({ message: "Choose the severity." }) }),
  category: z.enum(categories as [string, ...string[]], { errorMap: () => ({ message: "Choose the category." }) }),
  condition: text(8000),
});

export const observationFields = [
  "title",
  "condition",
  "criteria",
  "cause",
  "consequence",
  "root_cause",
  "severity",
  "category",
  "owner_response",
  "remediation_plan",
  "validation_evidence",
  "due_date",
  "remediation_owner_id",
] as const;

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** One field of an observation, edited on its own (the value is the field's new text; blank clears it). */
export const editObservationForm = z
  .object({ observation_id: uuid, field: z.enum(observationFields), value: text(8000) })
  .superRefine((f, ctx) => {
    if (f.field === "due_date" && f.value && !isDate(f.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: "Enter the due date as YYYY-MM-DD." });
    if (f.field === "remediation_owner_id" && f.value && !uuid.safeParse(f.value).success)
      ctx.addIssue({ code: "custom", path: ["value"], message: "Choose the remediation owner from the list." });
    if (f.field === "title" && !f.value)
      ctx.addIssue({ code: "custom", path: ["value"], message: "Give the observation a title." });
  });

/** A move of the observation's lifecycle, with its comment. */
export const moveObservationForm = z.object({
  observation_id: uuid,
  to_status: z.string().min(1),
  comment: z
    .string()
    .trim()
    .min(1, "Every move needs a comment.")
    .max(4000, "Keep the comment under 4,000 characters."),
});
