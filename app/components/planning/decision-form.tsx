import { DecisionCell } from "~/components/versions/decision-cell";
import type { DecisionView } from "~/lib/planning.server";

/**
 * The tester's decision on one planning item, inline (the kit's decision cell): approve, reject or request
 * changes (a rejection whose notes say what to change), with notes. Read-only outside a draft or for people
 * who do not work on the report. Planning has one decider, so the decision is the item's status.
 */
export function DecisionForm({
  versionId,
  item,
  id,
  label,
  current,
  editable,
  bulkForm,
}: {
  versionId: string;
  item: "attribute" | "mapping" | "source";
  id: string;
  label: string;
  current: DecisionView;
  editable: boolean;
  bulkForm?: string;
}) {
  return (
    <DecisionCell
      versionId={versionId}
      item={item}
      itemId={id}
      itemName={label}
      side="tester"
      decision={current.decision}
      notes={current.notes}
      by={current.by}
      dual={false}
      editable={editable}
      choices={["approved", "rejected", "request_changes"]}
      bulkForm={bulkForm}
    />
  );
}
