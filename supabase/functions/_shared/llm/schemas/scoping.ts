import { z } from "zod";
import { LEVELS, TESTING_APPROACHES, type ScopingBatch } from "../types.ts";
import {
  array,
  boolean,
  confidence,
  enumeration,
  nullable,
  number,
  object,
  string,
  text,
  type ResponseFormat,
} from "./common.ts";

const recommendationSchema = z
  .object({
    attribute: z.string().min(1).max(255),
    in_scope: z.boolean(),
    risk_rating: z.enum(LEVELS),
    testing_approach: z.enum(TESTING_APPROACHES).nullable(),
    reason: text(1000).pipe(z.string().min(1)),
    confidence,
  })
  .strict();

export type ScopingRecommendation = z.infer<typeof recommendationSchema>;

/**
 * The output schema for one batch: the shape above, exactly one recommendation per attribute of the batch, an
 * approach for attributes in scope and none for those out of scope.
 */
export function scopingOutputSchema(batch: ScopingBatch) {
  const names = new Set(batch.attributes.map((a) => a.name));
  return z
    .object({ recommendations: z.array(recommendationSchema).max(batch.attributes.length) })
    .strict()
    .superRefine(({ recommendations }, ctx) => {
      const seen = new Set<string>();
      recommendations.forEach((r, i) => {
        const issue = (field: string, message: string) =>
          ctx.addIssue({ code: "custom", path: ["recommendations", i, field], message });
        if (!names.has(r.attribute)) issue("attribute", `unknown attribute ${r.attribute}`);
        if (seen.has(r.attribute)) issue("attribute", "duplicate attribute");
        seen.add(r.attribute);
        if (r.in_scope && r.testing_approach === null)
          issue("testing_approach", "an attribute in scope needs an approach");
        if (!r.in_scope && r.testing_approach !== null) issue("testing_approach", "an attribute out of scope has none");
      });
    })
    .transform((o) => o.recommendations);
}

/** JSON Schema of the same shape, for `response_format` (strict structured output). */
export const scopingResponseFormat: ResponseFormat = {
  name: "scoping_recommendations",
  schema: object({
    recommendations: array(
      object({
        attribute: string("the attribute's name, exactly as given"),
        in_scope: boolean,
        risk_rating: enumeration(LEVELS),
        testing_approach: { ...nullable("string", "null when out of scope"), enum: [...TESTING_APPROACHES, null] },
        reason: string("at most 1000 characters: why in or out of scope, at this risk"),
        confidence: number("0 to 1"),
      }),
    ),
  }),
};
