import { Form } from "@remix-run/react";
import type { Decision } from "~/lib/profiling.server";

const decisionWords: Record<Decision, string> = { approved: "Approved", rejected: "Rejected" };

/**
 * One side of a rule's dual review: the decision taken, and a form to take it while the database allows
 * this user to (the tester's while the version is a draft, the owner's while it awaits approval).
 */
export function DecisionCell({
  intent,
  versionId,
  ruleId,
  ruleName,
  decision,
  notes,
  editable,
}: {
  intent: "tester_decision" | "owner_decision";
  versionId: string;
  ruleId: string;
  ruleName: string;
  decision: Decision | null;
  notes: string | null;
  editable: boolean;
}) {
  const who = intent === "tester_decision" ? "tester" : "owner";
  return (
    <div className="min-w-40 space-y-1" data-decision={who}>
      <p className={decision === "rejected" ? "font-medium text-red-800" : "font-medium"}>
        {decision ? decisionWords[decision] : <span className="text-slate-500">Not decided</span>}
      </p>
      {notes ? <p className="text-xs text-slate-600">{notes}</p> : null}
      {editable ? (
        <Form method="post" preventScrollReset className="space-y-1">
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="version_id" value={versionId} />
          <input type="hidden" name="rule_id" value={ruleId} />
          <label className="sr-only" htmlFor={`${who}-notes-${ruleId}`}>
            {`Notes of the ${who} on ${ruleName}`}
          </label>
          <input
            id={`${who}-notes-${ruleId}`}
            name="notes"
            defaultValue={notes ?? ""}
            placeholder="Notes"
            className="input mt-0 py-1 text-xs"
          />
          <div className="flex gap-1">
            <button
              type="submit"
              name="decision"
              value="approved"
              className="btn-secondary px-2 py-1 text-xs"
              aria-label={`Approve ${ruleName}`}
            >
              Approve
            </button>
            <button
              type="submit"
              name="decision"
              value="rejected"
              className="btn-secondary px-2 py-1 text-xs"
              aria-label={`Reject ${ruleName}`}
            >
              Reject
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}
