import { alreadyTakenMessage } from "../../supabase/functions/_shared/constraint-messages";
import { refusalTitles } from "./refusal-titles";

/** A transition the database refused, as the page shows it. */
export interface Refusal {
  title: string;
  message: string;
  hint: string | null;
  /** The database's stable reason code (`details`), kept for tests and support. */
  reason: string | null;
}

const titlesByStatus: Record<number, string> = {
  400: "The request was not valid",
  403: "You are not allowed to do this",
  404: "Not found",
  409: "Not possible right now",
};

/** A refusal as PostgREST (and, turned into one, an edge function) answers it: `PTxyz` codes carry a reason. */
export interface DatabaseError {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/**
 * The banner for a refused RPC. Coded refusals (`PT4xx`) carry a message written for people, shown as is;
 * a missing privilege gets a plain sentence; anything else is not the user's doing and gets a generic message rather than database internals.
 */
export function refusalOf(error: DatabaseError, status: number): Refusal {
  if (error.code === "42501") {
    return {
      title: "You are not allowed to do this",
      message: "Your account does not have permission for this action.",
      hint: null,
      reason: null,
    };
  }
  if (!/^PT4\d\d$/.test(error.code)) {
    return {
      title: "The action failed",
      message: "Please try again. If it keeps happening, tell an admin.",
      hint: null,
      reason: null,
    };
  }
  const reason = error.details || null;
  return {
    title: (reason && refusalTitles[reason]) || titlesByStatus[status] || "The action was refused",
    message: error.message,
    hint: error.hint || null,
    reason,
  };
}

/**
 * The banner for a refused write of a form (an insert, update or delete of an item): the constraint errors
 * forms meet said in words — a taken name names itself (`taken`, the form's sentence, else the database's
 * detail when it gives one), a row still referred to says so — and everything else as refusalOf says it.
 */
export function refusalOfWrite(error: DatabaseError, status: number, taken?: string): Refusal {
  if (error.code === "23505" || error.details === "already_exists") {
    return {
      title: refusalTitles.already_exists!,
      // The database gives the key's values only to callers who may read the whole row, which row-level
      // security rules out: the form says which name it sent (`taken`).
      message: taken ?? (error.code === "23505" ? alreadyTakenMessage(error.details) : error.message),
      hint: null,
      reason: "already_exists",
    };
  }
  if (error.code === "23503") {
    return {
      title: refusalTitles.still_referenced!,
      message: "Something else still refers to this item; change that first.",
      hint: null,
      reason: "still_referenced",
    };
  }
  return refusalOf(error, status);
}
