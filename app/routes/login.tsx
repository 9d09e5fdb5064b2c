import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { recordAuthEvent } from "~/lib/auth-events.server";
import { getOptionalUser } from "~/lib/auth.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { sessionEndMessage } from "~/lib/session-limits";
import { signInErrorMessage } from "~/lib/sign-in.server";
import { signInFormId, signInSchema } from "~/lib/sign-in-form";
import { FormErrorsContext, type FormErrors, fieldErrorsOf, useFormCheck } from "~/lib/forms";
import { FormField } from "~/components/form-field";
import { createSupabaseServerClient } from "~/lib/supabase.server";
import { PageErrorBoundary } from "~/components/page-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction = () => [{ title: "Sign in · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, headers } = await getOptionalUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")), { headers });
  return json(null, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await postedForm(request);
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  // Given back so the form keeps the email when it is shown again (also without JavaScript).
  const email = String(form.get("email") ?? "");
  if (!parsed.success) {
    const formErrors: FormErrors | null = { formId: signInFormId, fieldErrors: fieldErrorsOf(parsed.error) };
    return json({ email, formError: null, formErrors }, { status: 400 });
  }
  const { supabase, headers } = createSupabaseServerClient(request);
  const { error } = await supabase.auth.signInWithPassword(parsed.data);
  if (error) {
    const { status, message } = signInErrorMessage(error);
    if (status < 500) await recordAuthEvent(supabase, request, "sign_in_failed", parsed.data.email);
    return json({ email, formError: message, formErrors: null as FormErrors | null }, { status, headers });
  }
  throw redirect(safeRedirect(form.get("redirectTo")), { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  return (
    <FormErrorsContext.Provider value={actionData?.formErrors ?? undefined}>
      <LoginForm />
    </FormErrorsContext.Provider>
  );
}

/** The login form: a missing or malformed email, or no password, is said beside its field before anything is sent. */
function LoginForm() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const signingIn = useNavigation().state === "submitting";
  const { onSubmit, field } = useFormCheck(signInFormId, signInSchema);
  const ended = actionData ? null : sessionEndMessage(searchParams.get("ended"));
  return (
    <section className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">Use the email and password of your RegTest account.</p>
      <Form
        method="post"
        noValidate
        onSubmit={onSubmit}
        className="mt-6 space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      >
        {ended ? (
          <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {ended}
          </p>
        ) : null}
        {actionData?.formError ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {actionData.formError}
          </p>
        ) : null}
        <FormField {...field("email")} label="Email">
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="username"
              defaultValue={actionData?.email}
              required
              className="input"
            />
          )}
        </FormField>
        <FormField {...field("password")} label="Password">
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" required className="input" />
          )}
        </FormField>
        <button type="submit" className="btn-primary" disabled={signingIn}>
          {signingIn ? "Signing in…" : "Sign in"}
        </button>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Sign-in page" />;
}
