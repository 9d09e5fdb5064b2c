import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { createSupabaseServerClient } from "~/lib/supabase.server";

export async function action({ request }: ActionFunctionArgs) {
  const { supabase, headers } = createSupabaseServerClient(request);
  // `local` drops this browser's session cookies before revoking the session on the auth server, so
  // signing out works even when that server cannot be reached.
  await supabase.auth.signOut({ scope: "local" });
  return redirect("/login", { headers });
}

// Signing out changes state, so it only happens on POST; a visited link just goes to the start page.
export const loader = () => redirect("/");
