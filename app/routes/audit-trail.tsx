import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AuditVerdictView } from "~/components/audit-verdict";
import { verifyAuditLog } from "~/lib/audit.server";
import { requireUser } from "~/lib/auth.server";
import { getProfile } from "~/lib/profile.server";
import { PageErrorBoundary } from "~/components/page-error";

export const meta: MetaFunction = () => [{ title: "Audit trail · RegTest" }];

// Verification reads and hashes every audit row, so it runs when an admin opens this page, not on every page.
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, supabase, headers } = await requireUser(request);
  const profile = await getProfile(supabase, user);
  if (!profile.isAdmin) throw json({ message: "Only admins can verify the audit trail." }, { status: 403, headers });
  try {
    return json({ verdict: await verifyAuditLog(supabase), failure: null }, { headers });
  } catch (error) {
    return json({ verdict: null, failure: error instanceof Error ? error.message : String(error) }, { headers });
  }
}

export default function AuditTrail() {
  const { verdict, failure } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1 className="text-2xl font-semibold tracking-tight">Audit trail</h1>
      {verdict ? (
        <AuditVerdictView verdict={verdict} />
      ) : (
        <p className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-6 text-sm" role="alert">
          The audit trail could not be verified this time ({failure}). Reload the page to try again; on a very large
          log, run <code>select public.verify_audit_log()</code> in Studio, which has no API time limit.
        </p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Audit trail" />;
}
