import type { ReactNode } from "react";
import { FormField } from "~/components/form-field";
import { useFormCheck } from "~/lib/forms";
import { rejectForm } from "~/lib/version-forms";
import type { VersionView } from "~/lib/versions.server";
import { IntentForm, useSubmitting } from "./intent-form";

/** The form id of a version's rejection (its reason's id and the server's errors are named by it). */
export const rejectFormId = (versionId: string) => `reject-${versionId}`;

/** Rejecting a version, with its reason; a blank reason is said beside the field (lib/version-forms.ts). */
function RejectForm({ versionId }: { versionId: string }) {
  const busy = useSubmitting("reject_version");
  const formId = rejectFormId(versionId);
  const { errors, onSubmit, field } = useFormCheck(formId, rejectForm);
  return (
    // Open while its reason is wrong, also when the server said so on a page without JavaScript.
    <details className="w-full sm:w-auto" open={errors.reason ? true : undefined}>
      <summary className="btn-secondary inline-block cursor-pointer">Reject…</summary>
      <IntentForm
        intent="reject_version"
        formId={formId}
        onSubmit={onSubmit}
        hidden={{ version_id: versionId }}
        className="mt-2 space-y-2"
        label="Reject the version"
      >
        <FormField {...field("reason")} label="Reason for rejecting">
          {(control) => <textarea {...control} required rows={3} className="input" />}
        </FormField>
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Rejecting…" : "Reject version"}
        </button>
      </IntentForm>
    </details>
  );
}

/**
 * The lifecycle moves the user's role allows on the selected version: submit a draft, approve or reject a
 * version awaiting approval. Whether a move is allowed right now (decisions missing, segregation of duties)
 * is the database's call; a refusal shows in the page's banner.
 */
export function VersionActions({
  version,
  works,
  reviews,
  draftTools,
  approvedTools,
}: {
  version: Pick<VersionView, "id" | "status">;
  works: boolean;
  reviews: boolean;
  /** The phase's further tools for a draft, beside Submit (e.g. generating proposals). */
  draftTools?: ReactNode;
  /** The phase's tools for an approved version (e.g. running its rules). */
  approvedTools?: ReactNode;
}) {
  const submitting = useSubmitting("submit_version");
  const approving = useSubmitting("approve_version");
  return (
    <div className="flex flex-wrap items-center gap-2">
      {works && version.status === "draft" ? (
        <>
          {draftTools}
          <IntentForm intent="submit_version" hidden={{ version_id: version.id }}>
            <button type="submit" className="btn-secondary" disabled={submitting}>
              {submitting ? "Submitting…" : "Submit for approval"}
            </button>
          </IntentForm>
        </>
      ) : null}
      {reviews && version.status === "pending_approval" ? (
        <>
          <IntentForm intent="approve_version" hidden={{ version_id: version.id }}>
            <button type="submit" className="btn-secondary" disabled={approving}>
              {approving ? "Approving…" : "Approve version"}
            </button>
          </IntentForm>
          <RejectForm versionId={version.id} />
        </>
      ) : null}
      {works && version.status === "approved" ? approvedTools : null}
    </div>
  );
}

/** Starts the first version, or the next one from the latest decided version (the database copies its items). */
export function CreateVersionForm({
  phaseId,
  latestNumber,
  copies,
}: {
  phaseId: number;
  /** The latest version's number; none for the first version. */
  latestNumber: number | null;
  /** What the copy takes along, in the phase's words (e.g. "the rules"). */
  copies: string;
}) {
  const busy = useSubmitting("create_version");
  return (
    <IntentForm intent="create_version" hidden={{ phase_id: phaseId }} className="flex items-center gap-3">
      <button type="submit" className="btn-secondary" disabled={busy}>
        {latestNumber === null ? "Create the first version" : `Start version ${latestNumber + 1}`}
      </button>
      {latestNumber === null ? null : (
        <span className="text-sm text-slate-600">Copies {copies} of the latest decided version.</span>
      )}
    </IntentForm>
  );
}
