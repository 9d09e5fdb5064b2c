// The version kit's form schemas, read by the browser (errors beside their fields before anything is sent) and by
// the server (versions.server.ts), so both say the same about the same values.
import { z } from "zod";

export const uuid = z.string().uuid();

export const versionForm = z.object({ version_id: uuid });

/** A rejection says why; the database refuses an empty reason too, but saying so here keeps the typed text. */
export const rejectForm = versionForm.extend({
  reason: z.string().trim().min(1, "Say why the version is rejected.").max(10_000),
});

/** "Request changes" is a rejection whose notes say what to change (docs/database.md, Planning decisions). */
export const decisionChoice = z.enum(["approved", "rejected", "request_changes"]);

const notes = z
  .string()
  .trim()
  .max(10_000, "Keep the notes under 10,000 characters.")
  .optional()
  .transform((v) => v || null);

const needsNotes = {
  check: (f: { decision: z.infer<typeof decisionChoice>; notes: string | null }) =>
    f.decision !== "request_changes" || !!f.notes,
  message: { message: "Say in the notes what should change.", path: ["notes"] },
};

/** One side's decision on one item (the decision is the button pressed). */
export const decideForm = versionForm
  .extend({
    item: z.string().min(1),
    item_id: z.string().min(1),
    side: z.enum(["tester", "report_owner"]),
    decision: decisionChoice,
    notes,
  })
  .refine(needsNotes.check, needsNotes.message);

/** One decision on many items: the item ids are every ticked box (read with `readDecideMany`). */
export const decideManyForm = versionForm
  .extend({
    item: z.string().min(1),
    item_id: z.array(z.string().min(1)).min(1, "Choose the items to decide on."),
    side: z.enum(["tester", "report_owner"]),
    decision: decisionChoice,
    notes,
  })
  .refine(needsNotes.check, needsNotes.message);

/** A decision on many items, as its schema reads the form: every chosen `item_id`. */
export const readDecideMany = (form: FormData): Record<string, unknown> => ({
  ...Object.fromEntries(form),
  item_id: form.getAll("item_id").map(String),
});
