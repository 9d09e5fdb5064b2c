/**
 * The optional context a "Generate with AI" form sends with its request, and its limits: the generation
 * function and request_generation refuse a longer regulatory context or report type, and the prompt shows the
 * model the regulatory context's first 4,000 characters (docs/llm.md).
 */
export const generationLimits = { regulatoryContext: 20_000, reportType: 200, contextInPrompt: 4_000 } as const;
