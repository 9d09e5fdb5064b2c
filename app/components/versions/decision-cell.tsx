import { FieldError, fieldControl } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { decideForm } from "~/lib/version-forms";
import type { Decision, DecisionSide } from "~/lib/versions.server";
import { IntentForm, useSubmitting } from "./intent-form";
import { ItemStatusBadge } from "./status-badge";

const choiceWords = { approved: "Approve", rejected: "Reject", request_changes: "Request changes" } as const;
export type DecisionChoice = keyof typeof choiceWords;

const sideWords: Record<DecisionSide, string> = { tester: "tester", report_owner: "owner" };

/** The form id of one side's decision on one item (its fields' ids and the server's errors are named by it). */
export const decisionFormId = (side: DecisionSide, itemId: string) => `decide-${side}-${itemId}`;

/**
 * One side's decision on one item, inline: the decision recorded (by whom, with its notes) and, while the
 * database allows this user to take it, a form to take it (the tester's in a draft, the owner's while the
 * version awaits approval) and a box to choose the item for a bulk decision (`bulkForm`).
 * In a phase with one decider (`dual` false) no decision reads "Pending"; in one with both, "Not decided".
 * The form is checked by its schema (lib/version-forms.ts): "Request changes" without notes is said beside the notes.
 */
export function DecisionCell({
  versionId,
  item,
  itemId,
  itemName,
  side,
  decision,
  notes,
  by = null,
  dual,
  editable,
  choices = ["approved", "rejected"],
  bulkForm,
}: {
  versionId: string;
  /** Which item table of the phase (`versionActionHandlers`' items). */
  item: string;
  itemId: string;
  /** How the item is named in labels, e.g. "Account ID" or "mapping GL_ACCT_ID". */
  itemName: string;
  side: DecisionSide;
  decision: Decision | null;
  notes: string | null;
  by?: string | null;
  dual: boolean;
  editable: boolean;
  choices?: DecisionChoice[];
  bulkForm?: string;
}) {
  const busy = useSubmitting("decide", itemId);
  const formId = decisionFormId(side, itemId);
  const { errors, onSubmit } = useFormCheck(formId, decideForm);
  const who = sideWords[side];
  const state = (
    <div className="space-y-1 text-xs">
      <div className="flex items-center gap-2">
        {decision || !dual ? (
          <ItemStatusBadge status={decision ?? "pending"} />
        ) : (
          <span className="text-sm text-slate-500">Not decided</span>
        )}
        {by ? <span className="text-slate-500">by {by}</span> : null}
      </div>
      {notes ? <p className="max-w-xs text-slate-600">{notes}</p> : null}
    </div>
  );
  return (
    <div className="min-w-40 space-y-1" data-decision={who}>
      {editable ? (
        // Keyed by the recorded decision, so the notes field empties once a decision is stored.
        <IntentForm
          key={`${decision}:${notes}`}
          formId={formId}
          onSubmit={onSubmit}
          intent="decide"
          hidden={{ version_id: versionId, item, item_id: itemId, side }}
          className="space-y-1"
          label={`Decision on ${itemName}`}
        >
          {state}
          <input
            {...fieldControl(formId, "notes", errors.notes)}
            placeholder="Notes for your decision"
            aria-label={dual ? `Notes of the ${who} on ${itemName}` : `Notes on ${itemName}`}
            className="input mt-0 py-1 text-xs"
          />
          <FieldError formId={formId} name="notes" error={errors.notes} />
          <div className="flex flex-wrap items-center gap-1">
            {choices.map((choice) => (
              <button
                key={choice}
                type="submit"
                name="decision"
                value={choice}
                disabled={busy}
                aria-label={`${choiceWords[choice]} ${itemName}`}
                className="btn-secondary px-2 py-0.5 text-xs"
              >
                {choiceWords[choice]}
              </button>
            ))}
            {bulkForm ? (
              <input
                type="checkbox"
                name="item_id"
                value={itemId}
                form={bulkForm}
                data-bulk-choice
                aria-label={`Choose ${itemName} for a decision on many`}
                className="ml-1 h-4 w-4"
              />
            ) : null}
          </div>
        </IntentForm>
      ) : (
        state
      )}
    </div>
  );
}
