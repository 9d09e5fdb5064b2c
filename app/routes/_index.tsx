import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/lib/auth.server";
import { getProfile } from "~/lib/profile.server";

export const meta: MetaFunction = () => [{ title: "Home · RegTest" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, supabase, headers } = await requireUser(request);
  return json({ profile: await getProfile(supabase, user) }, { headers });
}

export default function Home() {
  const { profile } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1 className="text-2xl font-semibold tracking-tight">
        Welcome{profile.fullName ? `, ${profile.fullName}` : ""}
      </h1>
      <dl className="mt-6 grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm">
        <dt className="font-medium text-slate-600">Signed in as</dt>
        <dd data-testid="home-email">{profile.email}</dd>
        {profile.fullName ? (
          <>
            <dt className="font-medium text-slate-600">Name</dt>
            <dd>{profile.fullName}</dd>
          </>
        ) : null}
        {profile.roleLabel ? (
          <>
            <dt className="font-medium text-slate-600">Role</dt>
            <dd data-testid="home-role">{profile.roleLabel}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
