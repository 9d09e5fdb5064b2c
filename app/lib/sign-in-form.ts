// The login form's schema, read by the browser (errors beside their fields before anything is sent) and by the
// server (routes/login.tsx), so both say the same about the same values.
import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password."),
});

/** The login form's id (its fields' ids and the server's errors are named by it). */
export const signInFormId = "sign-in";
