import { Form } from "@remix-run/react";
import {
  classifications,
  flags,
  itemStatuses,
  sortableColumns,
  type AttributeQuery,
  type Flag,
} from "~/lib/planning-query";

/** Filter and order the attributes table; a GET form, so the state lives in the address and works without JS. */
export function AttributeFilters({ query, versionId }: { query: AttributeQuery; versionId: string }) {
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter attributes">
      <input type="hidden" name="version" value={versionId} />
      <label className="block font-medium">
        Name contains
        <input name="q" type="search" defaultValue={query.q} className="input w-44" />
      </label>
      <label className="block font-medium">
        Status
        <select name="status" defaultValue={query.status ?? ""} className="input w-32">
          <option value="">Any</option>
          {itemStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="block font-medium">
        Classification
        <select name="security" defaultValue={query.security ?? ""} className="input w-36">
          <option value="">Any</option>
          {classifications.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="flex gap-3 pb-2">
        <legend className="sr-only">Flags</legend>
        {(Object.keys(flags) as Flag[]).map((flag) => (
          <label key={flag} className="flex items-center gap-1">
            <input type="checkbox" name={flag} value="1" defaultChecked={query[flag]} />
            {flags[flag]}
          </label>
        ))}
      </fieldset>
      <label className="block font-medium">
        Sort by
        <select name="sort" defaultValue={query.sort} className="input w-36">
          {Object.entries(sortableColumns).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="block font-medium">
        Order
        <select name="dir" defaultValue={query.dir} className="input w-28">
          <option value="asc">Ascending</option>
          <option value="desc">Descending</option>
        </select>
      </label>
      <button type="submit" className="btn-secondary mb-0.5">
        Apply
      </button>
    </Form>
  );
}
