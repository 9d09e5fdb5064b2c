import { Link, useLocation } from "@remix-run/react";
import { countOf } from "~/lib/format";
import { withParams } from "~/lib/planning-query";

export function Pagination({ page, pages, total }: { page: number; pages: number; total: number }) {
  const { search } = useLocation();
  const link = (to: number, label: string) => (
    <Link
      to={withParams(search, { page: String(to), edit: null, map: null })}
      preventScrollReset
      className="btn-secondary"
      aria-label={`${label} page`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Attribute pages" className="flex items-center justify-between gap-3 text-sm">
      <p className="text-slate-600">
        {countOf(total, "attribute")} · page {page} of {pages}
      </p>
      <div className="flex gap-2">
        {page > 1 ? link(page - 1, "Previous") : null}
        {page < pages ? link(page + 1, "Next") : null}
      </div>
    </nav>
  );
}
