// The sign-in events page's filter, one schema read by the browser (the error beside the field before the page is
// asked for) and by the loader, so both say the same about the same value.
import { z } from "zod";

export const signInEventsFilter = z.object({
  email: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.string().email("Enter a valid email address.").nullable()),
});

/** The filter form's id (its field's id and the loader's errors are named by it). */
export const signInEventsFilterId = "sign-in-events-filter";
