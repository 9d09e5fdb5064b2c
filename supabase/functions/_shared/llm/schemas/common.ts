import { z } from "zod";

// Generated text is shown to people and stored: refuse control characters other than tab and newline.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !CONTROL.test(value), "contains control characters");

/**
 * What a name may hold after its first letter or digit: letters, digits, spaces, currency signs and the
 * punctuation headers are written with (`Balance (€)`, `Borrower's name`, `Rate, % p.a.`).
 */
export const LABEL_CHARACTERS = "\\p{L}\\p{N}\\p{Sc} _\\-./()%#&'’,:+";

/** Names of attributes, rules and PDEs: letters and digits first, then a small set of punctuation. */
export const label = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(
      new RegExp(`^[\\p{L}\\p{N}][${LABEL_CHARACTERS}]*$`, "u"),
      "must start with a letter or digit and use only letters, digits, spaces, currency signs and _-./()%#&'’,:+",
    );

export const confidence = z.number().min(0).max(1);

type JsonSchema = Record<string, unknown>;

/** Strict structured output needs every property required and no others allowed. */
export const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
export const string = (description?: string): JsonSchema => ({ type: "string", ...(description && { description }) });
export const nullable = (type: string, description?: string): JsonSchema => ({
  type: [type, "null"],
  ...(description && { description }),
});
export const enumeration = (values: readonly string[]): JsonSchema => ({ type: "string", enum: [...values] });
export const array = (items: JsonSchema): JsonSchema => ({ type: "array", items });
export const boolean: JsonSchema = { type: "boolean" };
export const number = (description?: string): JsonSchema => ({ type: "number", ...(description && { description }) });

export interface ResponseFormat {
  name: string;
  schema: JsonSchema;
}
