import { badRequest } from "./errors.ts";

// The address format GoTrue accepts (checkmail's pattern): a local part, '@', dot-separated labels.
const emailPattern =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue's validateEmail: required, at most 255 characters, well formed; returned lower-cased. */
export function validateEmail(email: string | undefined): string {
  if (!email) throw badRequest("validation_failed", "An email address is required");
  if (email.length > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!emailPattern.test(email))
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return email.toLowerCase();
}

/** GoTrue's validatePhone: punctuation stripped, then an E.164 number without the '+'. */
export function validatePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, "");
  if (!/^[1-9]\d{4,14}$/.test(digits))
    throw badRequest("validation_failed", "Invalid phone number format (E.164 required)");
  return digits;
}

const durationUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

/** A Go duration ("24h", "1h30m", "-5m", "0") in milliseconds, as GoTrue's settings read it; undefined when it is not one. */
export function goDurationMs(text: string): number | undefined {
  if (text === "0") return 0;
  if (!/^[+-]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  const sign = text.startsWith("-") ? -1 : 1;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * durationUnits[unit!]!;
  }
  return sign * total;
}

/** Parses a Go duration as GoTrue's `ban_duration` expects; milliseconds. */
export function parseGoDuration(text: string): number {
  const ms = goDurationMs(text);
  if (ms === undefined) {
    throw badRequest("validation_failed", `invalid format for ban duration: time: invalid duration "${text}"`);
  }
  return ms;
}
