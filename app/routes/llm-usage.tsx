import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { countOf } from "~/lib/format";
import { Link, useLoaderData } from "@remix-run/react";
import { InteractionsTable } from "~/components/llm-usage/interactions-table";
import { UsageTotalsTable } from "~/components/llm-usage/usage-totals";
import { requireUser } from "~/lib/auth.server";
import { loadInteractions, loadPhaseLabels, loadUsageTotals, PAGE_SIZE } from "~/lib/llm-usage.server";
import { PageErrorBoundary } from "~/components/page-error";

export const meta: MetaFunction = () => [{ title: "LLM usage · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { supabase, headers } = await requireUser(request);
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10) || 1);
  const [totals, interactions, phaseLabels] = await Promise.all([
    loadUsageTotals(supabase),
    loadInteractions(supabase, page),
    loadPhaseLabels(supabase),
  ]);
  return json(
    { totals, ...interactions, phaseLabels, page, pages: Math.max(1, Math.ceil(interactions.total / PAGE_SIZE)) },
    { headers },
  );
}

export default function LlmUsage() {
  const { totals, rows, total, page, pages, phaseLabels } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1 className="text-2xl font-semibold tracking-tight">LLM usage</h1>
      <p className="mt-2 text-sm text-slate-600">
        Every call made to propose attributes and rules, with its tokens and cost, for the cycle reports you can see.
      </p>

      <h2 className="mt-8 text-lg font-semibold tracking-tight">By cycle, report and phase</h2>
      <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <UsageTotalsTable rows={totals} phaseLabels={phaseLabels} />
      </div>

      <h2 className="mt-10 text-lg font-semibold tracking-tight">Interactions</h2>
      {rows.length ? (
        <>
          <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <InteractionsTable rows={rows} phaseLabels={phaseLabels} />
          </div>
          <nav className="mt-4 flex items-center gap-4 text-sm" aria-label="Pages">
            {page > 1 ? (
              <Link to={`?page=${page - 1}`} className="text-blue-700 underline focus-ring">
                Newer
              </Link>
            ) : null}
            <span className="text-slate-600">
              Page {page} of {pages} · {countOf(total, "call")}
            </span>
            {page < pages ? (
              <Link to={`?page=${page + 1}`} className="text-blue-700 underline focus-ring">
                Older
              </Link>
            ) : null}
          </nav>
        </>
      ) : (
        <p className="mt-4 text-sm text-slate-600">No calls yet. Ask for proposals in a planning or profiling draft.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="LLM usage page" />;
}
