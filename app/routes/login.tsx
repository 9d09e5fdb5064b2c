import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { recordAuthEvent } from "~/lib/auth-events.server";
import { getOptionalUser } from "~/lib/auth.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { sessionEndMessage } from "~/lib/session-limits";
import { signInErrorMessage, signInSchema } from "~/lib/sign-in.server";
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
    return json({ email, formError: null, fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 });
  }
  const { supabase, headers } = createSupabaseServerClient(request);
  const { error } = await supabase.auth.signInWithPassword(parsed.data);
  if (error) {
    const { status, message } = signInErrorMessage(error);
    if (status < 500) await recordAuthEvent(supabase, request, "sign_in_failed", parsed.data.email);
    return json({ email, formError: message, fieldErrors: {} }, { status, headers });
  }
  throw redirect(safeRedirect(form.get("redirectTo")), { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const signingIn = useNavigation().state === "submitting";
  const fieldErrors: { email?: string[]; password?: string[] } = actionData?.fieldErrors ?? {};
  const ended = actionData ? null : sessionEndMessage(searchParams.get("ended"));

  return (
    <section className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">Use the email and password of your RegTest account.</p>

      <Form
        method="post"
        noValidate
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
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={actionData?.email}
          errors={fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          errors={fieldErrors.password}
        />
        <button type="submit" className="btn-primary" disabled={signingIn}>
          {signingIn ? "Signing in…" : "Sign in"}
        </button>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
      </Form>
    </section>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type: string;
  autoComplete: string;
  defaultValue?: string;
  errors?: string[];
}

function Field(props: FieldProps) {
  const errorId = `${props.name}-error`;
  const error = props.errors?.[0];
  return (
    <div>
      <label htmlFor={props.name} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <input
        id={props.name}
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        defaultValue={props.defaultValue}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="input"
      />
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Sign-in page" />;
}
