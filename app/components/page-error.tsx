import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/**
 * A page's error boundary: what went wrong, in the page's words, inside the app (header and sign out stay), with
 * the way back. Refusals of the database are not errors: they come back from the action and show in the banner.
 */
export function PageErrorBoundary({
  page,
  back = { to: "/", label: "Back to your cycle reports" },
}: {
  page: string;
  back?: { to: string; label: string };
}) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <section role="alert" aria-label={`${page} unavailable`} className="mx-auto max-w-md text-center">
      <h1 className="text-2xl font-semibold">
        {status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Something went wrong"}
      </h1>
      <p className="mt-2 text-slate-600">
        {status === 404
          ? `This ${page.toLowerCase()} does not exist or is not visible to you.`
          : status === 403
            ? `You may not see this ${page.toLowerCase()}.`
            : `The ${page.toLowerCase()} could not be shown. Please try again; if it keeps happening, tell an admin.`}
      </p>
      <Link to={back.to} className="mt-6 inline-block text-blue-700 underline focus-ring">
        {back.label}
      </Link>
    </section>
  );
}
