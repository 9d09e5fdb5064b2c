import { useId } from "react";
import { generationLimits } from "~/lib/generation-options";

/**
 * The optional context of a "Generate with AI" form, folded away: the kind of report and the regulatory
 * context (instructions or excerpts of the regulation) the proposals should follow. Empty fields send nothing.
 */
export function GenerationOptions() {
  const hint = useId();
  return (
    <details className="w-full text-sm sm:w-80">
      <summary className="cursor-pointer rounded text-right text-xs text-blue-700 underline focus-ring">
        Context for the AI (optional)
      </summary>
      <div className="mt-2 space-y-2">
        <label className="block text-sm font-medium">
          Report type
          <input
            name="report_type"
            maxLength={generationLimits.reportType}
            placeholder="e.g. FR Y-9C"
            className="input"
          />
        </label>
        <label className="block text-sm font-medium">
          Regulatory context
          <textarea
            name="regulatory_context"
            rows={4}
            maxLength={generationLimits.regulatoryContext}
            aria-describedby={hint}
            className="input"
          />
        </label>
        <p id={hint} className="text-xs text-slate-600">
          Instructions or excerpts of the regulation the proposals should follow: up to{" "}
          {generationLimits.regulatoryContext.toLocaleString("en-US")} characters, of which the model reads the first{" "}
          {generationLimits.contextInPrompt.toLocaleString("en-US")}.
        </p>
      </div>
    </details>
  );
}
