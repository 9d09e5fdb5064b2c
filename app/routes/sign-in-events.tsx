import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { FormField } from "~/components/form-field";
import { requireUser } from "~/lib/auth.server";
import { FormErrorsContext, type FormErrors, fieldErrorsOf, useFormCheck } from "~/lib/forms";
import { signInEventsFilter, signInEventsFilterId } from "~/lib/sign-in-events-form";
import { loadSignInEvents } from "~/lib/sign-in-events.server";
import { PageErrorBoundary } from "~/components/page-error";

export const meta: MetaFunction = () => [{ title: "Sign-in events · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { supabase, headers } = await requireUser(request);
  const filter = signInEventsFilter.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!filter.success) {
    // A malformed filter asks nothing of the database: the page says so beside the field.
    const formErrors: FormErrors = { formId: signInEventsFilterId, fieldErrors: fieldErrorsOf(filter.error) };
    return json({ events: [], email: null, formErrors }, { status: 400, headers });
  }
  const email = filter.data.email;
  const result = await loadSignInEvents(supabase, email);
  if ("refused" in result) {
    throw json({ message: "Only admins can read sign-in events." }, { status: 403, headers });
  }
  return json({ ...result, email, formErrors: null as FormErrors | null }, { headers });
}

const eventLabels: Record<string, string> = {
  signed_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  signed_out: "Signed out",
  session_expired: "Session ended (time limit)",
};

const when = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace("T", " ");

/** The filter by person; a malformed email is said beside the field before the page is asked for. */
function Filter({ email }: { email: string | null }) {
  const { onSubmit, field } = useFormCheck(signInEventsFilterId, signInEventsFilter);
  return (
    <Form
      method="get"
      noValidate
      onSubmit={onSubmit}
      className="mt-4 flex items-end gap-2"
      aria-label="Filter sign-in events"
    >
      <FormField {...field("email")} label="Person (email)" className="text-sm">
        {(control) => <input {...control} type="email" defaultValue={email ?? ""} className="input" />}
      </FormField>
      <button type="submit" className="btn-secondary">
        Show
      </button>
    </Form>
  );
}

export default function SignInEvents() {
  const { events, email, formErrors } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1 className="text-2xl font-semibold tracking-tight">Sign-in events</h1>
      <p className="mt-2 text-sm text-slate-600">
        The newest 200 sign-ins, failed sign-ins, sign-outs and sessions ended by their time limits, with the address
        they came from (UTC){email ? `, of ${email}` : ""}.
      </p>
      <FormErrorsContext.Provider value={formErrors ?? undefined}>
        <Filter email={email} />
      </FormErrorsContext.Provider>
      {events.length ? (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <table className="w-full text-left text-sm" aria-label="Sign-in events">
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th className="py-2 font-medium">When</th>
                <th className="py-2 font-medium">Event</th>
                <th className="py-2 font-medium">Who</th>
                <th className="py-2 font-medium">Address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event, index) => (
                <tr
                  key={`${event.occurred_at}-${index}`}
                  className="border-b border-slate-100"
                  data-testid="sign-in-event"
                  data-event={event.event}
                >
                  <td className="py-2 whitespace-nowrap">{when(event.occurred_at)}</td>
                  <td className="py-2">{eventLabels[event.event] ?? event.event}</td>
                  <td className="py-2">{event.email ?? "—"}</td>
                  <td className="py-2 font-mono text-xs">{event.ip_address ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mt-6 text-sm text-slate-600">No sign-in events yet.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Sign-in events page" />;
}
