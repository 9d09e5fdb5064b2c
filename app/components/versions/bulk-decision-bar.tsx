import { FieldError, fieldControl } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { decideManyForm, readDecideMany } from "~/lib/version-forms";
import type { DecisionSide } from "~/lib/versions.server";
import type { DecisionChoice } from "./decision-cell";
import { IntentForm, useSubmitting } from "./intent-form";

const choiceWords = {
  approved: "Approve chosen",
  rejected: "Reject chosen",
  request_changes: "Request changes on chosen",
};

/**
 * One decision on many items: the boxes of the decision cells (`DecisionCell`'s `bulkForm`) choose the items,
 * "Choose all shown" ticks every box of the table as filtered, and one submit decides them in one call
 * (public.decide_items; the item guard and the counters run for each item). Checked by its schema
 * (lib/version-forms.ts): no item chosen, or "Request changes" without notes, is said beside its field.
 */
export function BulkDecisionBar({
  id,
  versionId,
  item,
  side,
  choices = ["approved", "rejected"],
  label,
}: {
  /** The form's id, which the decision cells' boxes name. */
  id: string;
  versionId: string;
  item: string;
  side: DecisionSide;
  choices?: DecisionChoice[];
  /** What the items are, e.g. "attributes". */
  label: string;
}) {
  const busy = useSubmitting("decide_many");
  const { errors, onSubmit } = useFormCheck(id, decideManyForm, readDecideMany);
  const chooseAll = (checked: boolean) => {
    for (const box of document.querySelectorAll<HTMLInputElement>(`input[data-bulk-choice][form="${id}"]`)) {
      box.checked = checked;
    }
  };
  return (
    <IntentForm
      id={id}
      formId={id}
      onSubmit={onSubmit}
      intent="decide_many"
      hidden={{ version_id: versionId, item, side }}
      label={`Decide on many ${label}`}
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm"
    >
      <div>
        <label className="flex items-center gap-2 font-medium">
          {/* Named for the items it chooses, so a decision on none is said here; the boxes themselves send item_id. */}
          <input
            type="checkbox"
            id={`${id}-item_id`}
            aria-invalid={errors.item_id ? true : undefined}
            aria-describedby={errors.item_id ? `${id}-item_id-error` : undefined}
            className="h-4 w-4"
            onChange={(e) => chooseAll(e.currentTarget.checked)}
          />
          Choose all shown
        </label>
        <FieldError formId={id} name="item_id" error={errors.item_id} />
      </div>
      <div>
        <label htmlFor={`${id}-notes`} className="block font-medium">
          Notes
        </label>
        <input
          {...fieldControl(id, "notes", errors.notes)}
          placeholder={`Notes for every chosen ${label.replace(/s$/, "")}`}
          className="input mt-0 py-1"
        />
        <FieldError formId={id} name="notes" error={errors.notes} />
      </div>
      {choices.map((choice) => (
        <button key={choice} type="submit" name="decision" value={choice} disabled={busy} className="btn-secondary">
          {choiceWords[choice]}
        </button>
      ))}
      <span className="text-xs text-slate-600">Tick the box beside each {label.replace(/s$/, "")} to choose it.</span>
    </IntentForm>
  );
}
