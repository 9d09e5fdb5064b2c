import {
  json,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getOptionalUser } from "~/lib/auth.server";
import { useNonce } from "~/lib/nonce";
import { appRoleOf } from "~/lib/sign-in-events.server";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "RegTest" }];

// Every page shows one user's data (or sets their session cookie), so no shared cache may keep it.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, supabase, headers } = await getOptionalUser(request);
  const role = user ? await appRoleOf(supabase, user.id) : null;
  // A data provider answers requests only: the testing team's pages (LLM usage) are not theirs.
  return json(
    { email: user?.email ?? null, admin: role === "admin", team: role !== null && role !== "data_provider" },
    { headers },
  );
}

function Header({ email, admin, team }: { email: string | null; admin: boolean; team: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <Link to="/" className="rounded text-lg font-semibold tracking-tight text-blue-900 focus-ring">
          RegTest
        </Link>
        {email ? (
          <div className="flex items-center gap-3 text-sm">
            {team ? (
              <Link to="/llm-usage" className="rounded text-blue-700 hover:underline focus-ring">
                LLM usage
              </Link>
            ) : null}
            {admin ? (
              <>
                <Link to="/sign-in-events" className="rounded text-blue-700 hover:underline focus-ring">
                  Sign-in events
                </Link>
                <Link to="/audit-trail" className="rounded text-blue-700 hover:underline focus-ring">
                  Audit trail
                </Link>
              </>
            ) : null}
            <span className="text-slate-600" data-testid="header-email">
              {email}
            </span>
            <Form method="post" action="/logout">
              <button type="submit" className="btn-secondary">
                Sign out
              </button>
            </Form>
          </div>
        ) : null}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  // The root loader has no data when the error boundary renders for a failed root loader.
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full text-slate-900 antialiased">
        <Header email={data?.email ?? null} admin={data?.admin ?? false} team={data?.team ?? false} />
        <main className="mx-auto max-w-5xl px-4 py-10">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="mx-auto max-w-md text-center">
      <h1 className="text-2xl font-semibold">{notFound ? "Page not found" : "Something went wrong"}</h1>
      <p className="mt-2 text-slate-600">
        {notFound ? "There is no page at this address." : "Please try again. If it keeps happening, tell an admin."}
      </p>
      <Link to="/" className="mt-6 inline-block text-blue-700 underline focus-ring">
        Back to the start page
      </Link>
    </section>
  );
}
