import { type DatabaseError, refusalOf, type Refusal } from "./refusal";
import { refusalTitles } from "./refusal-titles";

/** The banner for refused planning work: constraint errors of forms in words, the rest as refusalOf titles them. */
export function refusalOfPlanning(error: DatabaseError, status: number): Refusal {
  // Unique names and foreign keys are plain constraint errors in the database, and common in forms.
  if (error.code === "23505") {
    return { title: refusalTitles.already_exists!, message: "Choose another name or code.", hint: null, reason: null };
  }
  if (error.code === "23503") {
    return {
      title: refusalTitles.still_referenced!,
      message: "Something else still refers to this item; change that first.",
      hint: null,
      reason: null,
    };
  }
  return refusalOf(error, status);
}

/** A refusal the app itself gives for a form it cannot send (the database never saw it). */
export function invalidForm(message: string): Refusal {
  return { title: refusalTitles.invalid_form!, message, hint: null, reason: "invalid_form" };
}

/** The banner for an upload refused without JavaScript (the reason comes back in the address). */
export function uploadRefusal(reason: string): Refusal {
  return {
    title: refusalTitles[reason] ?? "The file was not loaded",
    message: "Nothing was loaded. Check the file and upload it again; with JavaScript on, the line at fault is named.",
    hint: null,
    reason,
  };
}
