import { FormField } from "~/components/form-field";
import { generationLimits } from "~/lib/generation-options";

/** What a form checked by its schema (useFormCheck's `field`) gives each field: its id, name and error. */
type Field = (name: string) => { formId: string; name: string; error?: string };

/**
 * The optional context of a "Generate with AI" form, folded away: the kind of report and the regulatory
 * context (instructions or excerpts of the regulation) the proposals should follow. Empty fields send nothing.
 * The form is checked by its schema (generationRequestForm): `field` puts each error beside its field, and the
 * fold opens on one.
 */
export function GenerationOptions({ field }: { field: Field }) {
  const limit = (
    <>
      Instructions or excerpts of the regulation the proposals should follow: up to{" "}
      {generationLimits.regulatoryContext.toLocaleString("en-US")} characters, of which the model reads the first{" "}
      {generationLimits.contextInPrompt.toLocaleString("en-US")}.
    </>
  );
  const wrong = Boolean(field("report_type").error || field("regulatory_context").error);
  return (
    <details className="w-full text-sm sm:w-80" open={wrong || undefined}>
      <summary className="cursor-pointer rounded text-right text-xs text-blue-700 underline focus-ring">
        Context for the AI (optional)
      </summary>
      <div className="mt-2 space-y-2">
        <FormField {...field("report_type")} label="Report type">
          {(control) => (
            <input {...control} maxLength={generationLimits.reportType} placeholder="e.g. FR Y-9C" className="input" />
          )}
        </FormField>
        <FormField {...field("regulatory_context")} label="Regulatory context" hint={limit}>
          {(control) => (
            <textarea {...control} rows={4} maxLength={generationLimits.regulatoryContext} className="input" />
          )}
        </FormField>
      </div>
    </details>
  );
}
