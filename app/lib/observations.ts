/** Observations' severities, most severe first, and categories (public.observations checks the same lists). */
export const severities = ["critical", "high", "medium", "low"] as const;
export const categories = ["accuracy", "completeness", "timeliness", "validity", "consistency", "uniqueness", "other"];
