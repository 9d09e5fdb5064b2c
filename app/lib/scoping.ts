// What the scoping workspace shows in the browser and checks on the server alike.
import { z } from "zod";
import { generationFormIds, generationRequestForm } from "./generation-options";

export const testingApproaches = ["sample_testing", "data_quality_rules", "both"] as const;
export type TestingApproach = (typeof testingApproaches)[number];
export const riskLevels = ["low", "medium", "high"] as const;

/** The table's filters by decision state, in the order the page offers them. */
export const decisionFilters = {
  all: "All",
  undecided: "No tester decision",
  awaiting_owner: "Awaiting the owner",
  approved: "Approved",
  rejected: "Rejected",
  in_scope: "In scope",
  out_of_scope: "Out of scope",
} as const;
export type DecisionFilter = keyof typeof decisionFilters;

const uuid = z.string().uuid();
const blankIsNull = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), schema.nullable());

/** The scope form of a decision (posted as form_id), so the server's field errors come back to its row. */
export const scopeFormId = (decisionId: string) => `scope-${decisionId}`;

/**
 * One decision's scope, as its row's form sends it: the box ticked (in scope) or not, risk, approach, rationale.
 * Out of scope needs a rationale, as the database's scoping policy says (scoping_rationale_required); whether the
 * policy keeps the attribute in scope, or a departure from the recommendation needs a rationale of its own, is the
 * database's call.
 */
export const scopeForm = z
  .object({
    version_id: uuid,
    item_id: uuid,
    in_scope: z.literal("on").optional(),
    risk_rating: blankIsNull(z.enum(riskLevels, { message: "Choose a risk: low, medium or high." })),
    testing_approach: blankIsNull(z.enum(testingApproaches, { message: "Choose a testing approach from the list." })),
    rationale: blankIsNull(z.string().trim().max(4000, "A rationale is at most 4,000 characters.")),
  })
  .refine((f) => f.in_scope === "on" || f.rationale, {
    path: ["rationale"],
    message: "An attribute left out of scope needs a rationale: say why it is not tested.",
  });

/** The recommend form's id. */
export const recommendFormId = generationFormIds.scoping;
/** Asking for recommendations, with the optional context for the model. */
export const recommendForm = generationRequestForm;
