// The cycle report page's transition forms, one schema read by the browser (errors beside their fields before
// anything is sent) and by the server (workflow-actions.server.ts).
import { z } from "zod";

/** The transitions a cycle report page can ask for; each is one RPC of the database's public API. */
export const intents = [
  "start_phase",
  "complete_phase",
  "skip_phase",
  "reopen_phase",
  "start_activity",
  "complete_activity",
] as const;
export type Intent = (typeof intents)[number];

const reasonWanted: Partial<Record<Intent, string>> = {
  skip_phase: "Say why the phase is skipped.",
  reopen_phase: "Say why the phase is reopened.",
};

/** A transition; skipping and reopening need a reason (the database refuses a blank one too, *_reason_required). */
export const transitionForm = z
  .object({
    intent: z.enum(intents),
    id: z.coerce.number().int().positive(),
    reason: z.string().trim().max(2000, "Keep the reason under 2,000 characters.").optional().default(""),
  })
  .superRefine((f, ctx) => {
    const wanted = reasonWanted[f.intent];
    if (wanted && !f.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: wanted });
  });

/** The form id of a transition with a reason (its field's id and the server's errors are named by it). */
export const reasonFormId = (intent: Intent, id: number) => `${intent}-${id}`;
