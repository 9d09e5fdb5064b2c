import type { DecisionView } from "~/lib/planning.server";
import { ItemStatusBadge } from "./badges";
import { PlanningForm, useSubmitting } from "./planning-form";

/**
 * The tester's decision on one item, inline: approve, reject or request changes (a rejection whose notes say
 * what to change), with notes. Read-only outside a draft or for people who do not work on the report.
 */
export function DecisionForm({
  item,
  id,
  label,
  current,
  editable,
}: {
  item: "attribute" | "mapping" | "source";
  id: string;
  label: string;
  current: DecisionView;
  editable: boolean;
}) {
  const busy = useSubmitting("decide", id);
  const recorded = current.by ? `by ${current.by}` : null;
  const state = (
    <div className="space-y-1 text-xs">
      <div className="flex items-center gap-2">
        <ItemStatusBadge status={current.status} />
        {recorded ? <span className="text-slate-500">{recorded}</span> : null}
      </div>
      {current.notes ? <p className="max-w-xs text-slate-600">{current.notes}</p> : null}
    </div>
  );
  if (!editable) return state;
  return (
    // Keyed by the recorded decision, so the notes field empties once a decision is stored.
    <PlanningForm
      key={`${current.decision}:${current.notes}`}
      intent="decide"
      hidden={{ item, id }}
      className="space-y-1"
      label={`Decision on ${label}`}
    >
      {state}
      <input
        name="notes"
        placeholder="Notes for your decision"
        aria-label={`Notes on ${label}`}
        className="input mt-0 py-1 text-xs"
      />
      <div className="flex flex-wrap gap-1">
        {(
          [
            ["approved", "Approve"],
            ["rejected", "Reject"],
            ["request_changes", "Request changes"],
          ] as const
        ).map(([value, text]) => (
          <button
            key={value}
            type="submit"
            name="decision"
            value={value}
            disabled={busy}
            aria-label={`${text} ${label}`}
            className="btn-secondary px-2 py-0.5 text-xs"
          >
            {text}
          </button>
        ))}
      </div>
    </PlanningForm>
  );
}
