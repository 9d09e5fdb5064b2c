import { type Refusal, refusalOfWrite } from "./refusal";
import { formatBytes } from "./format";
import { refusalTitles } from "./refusal-titles";

/** The banner for refused planning work: constraint errors of forms in words, the rest as refusalOf titles them. */
export const refusalOfPlanning = refusalOfWrite;

/** A refusal the app itself gives for a form it cannot send (the database never saw it). */
export function invalidForm(message: string): Refusal {
  return { title: refusalTitles.invalid_form!, message, hint: null, reason: "invalid_form" };
}

/** An upload over the size limit, in the words of the planning-sources function's own refusal. */
export function tooLargeUpload(maxBytes: number): Refusal {
  return {
    title: refusalTitles.too_large!,
    message: `The file is larger than the ${formatBytes(maxBytes)} limit.`,
    hint: "Split the file, or load the table as a database source.",
    reason: "too_large",
  };
}

/** The banner for an upload refused without JavaScript (the reason comes back in the address). */
export function uploadRefusal(reason: string, maxBytes: number): Refusal {
  if (reason === "too_large") return tooLargeUpload(maxBytes);
  return {
    title: refusalTitles[reason] ?? "The file was not loaded",
    message: "Nothing was loaded. Check the file and upload it again; with JavaScript on, the line at fault is named.",
    hint: null,
    reason,
  };
}
