import { z } from "zod";

/**
 * The optional context a "Generate with AI" form sends with its request, and its limits: the generation
 * function and request_generation refuse a longer regulatory context or report type, and the prompt shows the
 * model the regulatory context's first 4,000 characters (docs/llm.md).
 */
export const generationLimits = { regulatoryContext: 20_000, reportType: 200, contextInPrompt: 4_000 } as const;

const contextField = (max: number, what: string) =>
  z
    .string()
    // Browsers send a textarea's line breaks as CRLF; the limit counts them as typed, one character each.
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max, `${what} is limited to ${max.toLocaleString("en-US")} characters.`))
    .optional()
    .transform((v) => v || null);

/** The optional fields of a "Generate with AI" form; blank ones are sent as null. Read in the browser and on the server. */
export const generationOptionsForm = z.object({
  regulatory_context: contextField(generationLimits.regulatoryContext, "The regulatory context"),
  report_type: contextField(generationLimits.reportType, "The report type"),
});

/** A "Generate with AI" form of a version: the version and the optional context. */
export const generationRequestForm = z.object({ version_id: z.string().uuid() }).and(generationOptionsForm);

/** The form ids of the "Generate with AI" forms, whose field errors come back to them. */
export const generationFormIds = {
  attributes: "generate-attributes",
  scoping: "recommend",
  rules: "generate-rules",
} as const;
