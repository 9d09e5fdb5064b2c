import { GenerationOptions } from "~/components/generation-options";
import { IntentForm } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { generationFormIds, generationRequestForm } from "~/lib/generation-options";

/**
 * Asks for rules proposed for the draft's approved attributes, with an optional report type and regulatory
 * context; they arrive undecided, for review.
 */
export function GenerateRulesForm({ versionId }: { versionId: string }) {
  const { onSubmit, field } = useFormCheck(generationFormIds.rules, generationRequestForm);
  return (
    <IntentForm
      intent="generate_rules"
      formId={generationFormIds.rules}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId }}
      className="flex flex-col items-end gap-1"
      label="Generate rules with AI"
    >
      <button type="submit" className="btn-secondary">
        Generate with AI
      </button>
      <GenerationOptions field={field} />
    </IntentForm>
  );
}

/** Runs the approved version's rules against the source data (a background job of the profiling function). */
export function RunRulesForm({ versionId }: { versionId: string }) {
  return (
    <IntentForm intent="run_rules" hidden={{ version_id: versionId }}>
      <button type="submit" className="btn-primary w-auto">
        Run rules
      </button>
    </IntentForm>
  );
}
