import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";

/**
 * A phase workspace's error boundary: the page says what went wrong in the workspace's words and leads back
 * to the cycle report, while the rest of the app (header, sign out) stays. Refusals of the database are not
 * errors: they come back from the action and show in the page's banner.
 */
export function WorkspaceErrorBoundary({ phase }: { phase: string }) {
  const error = useRouteError();
  const { id } = useParams();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section role="alert" aria-label={`${phase} unavailable`} className="mx-auto max-w-md text-center">
      <h1 className="text-2xl font-semibold">{notFound ? `No ${phase.toLowerCase()} here` : "Something went wrong"}</h1>
      <p className="mt-2 text-slate-600">
        {notFound
          ? "This cycle report does not exist or is not visible to you."
          : `The ${phase.toLowerCase()} workspace could not be shown. Please try again; if it keeps happening, tell an admin.`}
      </p>
      <Link
        to={notFound || !id ? "/" : `/cycle-reports/${id}`}
        className="mt-6 inline-block text-blue-700 underline focus-ring"
      >
        {notFound || !id ? "Back to your cycle reports" : "Back to the cycle report"}
      </Link>
    </section>
  );
}
