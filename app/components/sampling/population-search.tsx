import { Form } from "@remix-run/react";
import { FormField } from "~/components/form-field";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { requestSamplesForm, requestSamplesValues, samplingFormIds } from "~/lib/sampling-forms";
import type { SampleRequest, SamplingWorkspace } from "~/lib/sampling.server";

/**
 * The report owner's way to add samples while reviewing: search the population by key, tick rows and ask for
 * them with a reason; the tester's next draft takes them in as samples recommended by the owner.
 */
export function PopulationSearch({
  versionId,
  search,
  canRequest,
}: {
  versionId: string;
  search: SamplingWorkspace["search"];
  canRequest: boolean;
}) {
  const busy = useSubmitting("request_samples");
  // One schema (requestSamplesForm) checks the owner's request in the browser and on the server.
  const formId = samplingFormIds.request;
  const { onSubmit, field, errors } = useFormCheck(formId, requestSamplesForm, requestSamplesValues);
  return (
    <section
      aria-labelledby="search-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h3 id="search-heading" className="text-base font-semibold">
        Search the population
      </h3>
      <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Search the population by key">
        <input type="hidden" name="version" value={versionId} />
        <label className="block text-sm font-medium">
          Key starts with
          <input name="search" defaultValue={search?.prefix ?? ""} className="input w-56" />
        </label>
        <button type="submit" className="btn-secondary mb-0.5">
          Search
        </button>
      </Form>
      {search ? (
        search.rows.length ? (
          <IntentForm
            intent="request_samples"
            formId={formId}
            onSubmit={onSubmit}
            hidden={{ version_id: versionId }}
            label="Ask for samples"
            className="space-y-2"
          >
            <table className="min-w-full text-left text-sm" aria-label="Population rows">
              <thead className="bg-slate-50 text-xs text-slate-600">
                <tr>
                  <th className="px-3 py-1 font-medium">Key</th>
                  <th className="px-3 py-1 font-medium">Values</th>
                  <th className="px-3 py-1 font-medium">In this version</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {search.rows.map((r, index) => (
                  <tr key={r.sample_key}>
                    <td className="px-3 py-1">
                      <label className="flex items-center gap-2">
                        {canRequest && !r.in_version ? (
                          <input
                            type="checkbox"
                            name="sample_key"
                            value={r.sample_key}
                            aria-label={`Ask for ${r.sample_key}`}
                            // The first box takes the focus on the list's error, which each box names.
                            id={index === 0 ? `${formId}-sample_key` : undefined}
                            aria-invalid={errors.sample_key ? true : undefined}
                            aria-describedby={errors.sample_key ? `${formId}-sample_key-error` : undefined}
                          />
                        ) : null}
                        {r.sample_key}
                      </label>
                    </td>
                    <td className="px-3 py-1 text-xs text-slate-700">
                      {Object.entries(r.sample_data)
                        .map(([k, v]) => `${k}: ${v === null ? "—" : String(v)}`)
                        .join(" · ")}
                    </td>
                    <td className="px-3 py-1">{r.in_version ? "yes" : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {errors.sample_key ? (
              <p
                id={`${formId}-sample_key-error`}
                className="text-xs font-medium text-red-700"
                data-field-error="sample_key"
              >
                {errors.sample_key}
              </p>
            ) : null}
            {canRequest ? (
              <div className="flex flex-wrap items-start gap-2">
                <FormField {...field("reason")} label="Why you ask for these samples" className="grow">
                  {(control) => <input {...control} required className="input" />}
                </FormField>
                <button type="submit" className="btn-secondary mt-6" disabled={busy}>
                  Ask for the chosen samples
                </button>
              </div>
            ) : null}
          </IntentForm>
        ) : (
          <p className="text-sm text-slate-600">No row of the population has a key starting with “{search.prefix}”.</p>
        )
      ) : null}
    </section>
  );
}

/** The owner's requests: what was asked, by whom, and whether a draft has taken it in. */
export function SampleRequests({
  requests,
  versionId,
  canAdd,
}: {
  requests: SampleRequest[];
  versionId: string;
  canAdd: boolean;
}) {
  const busy = useSubmitting("add_requested_samples");
  if (!requests.length) return null;
  const open = requests.filter((r) => !r.fulfilled);
  return (
    <section aria-labelledby="requests-heading" className="space-y-2">
      <h3 id="requests-heading" className="text-base font-semibold">
        Samples the report owner asked for
      </h3>
      <ul className="list-disc pl-5 text-sm">
        {requests.map((r) => (
          <li key={r.id}>
            {r.key} (version {r.versionNumber}, {r.by ?? "the owner"}): {r.reason}
            {r.fulfilled ? (
              <span className="text-green-800"> — added</span>
            ) : (
              <span className="text-amber-800"> — open</span>
            )}
          </li>
        ))}
      </ul>
      {canAdd && open.length ? (
        <IntentForm intent="add_requested_samples" hidden={{ version_id: versionId }}>
          <button type="submit" className="btn-secondary" disabled={busy}>
            Add the {open.length} requested sample{open.length === 1 ? "" : "s"} to this draft
          </button>
        </IntentForm>
      ) : null}
    </section>
  );
}
