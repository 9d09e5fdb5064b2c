import { redirect } from "@remix-run/node";
import type { User } from "@supabase/supabase-js";
import { createSupabaseServerClient } from "./supabase.server";

/**
 * The signed-in user, validated by the auth server (`getUser`, not the unverified cookie), with the
 * request's Supabase client and the headers its response must carry.
 */
export async function getOptionalUser(request: Request) {
  const { supabase, headers } = createSupabaseServerClient(request);
  const { data, error } = await supabase.auth.getUser();
  const user: User | null = error ? null : data.user;
  return { user, supabase, headers };
}

/** Like `getOptionalUser`, but sends a signed-out visitor to the login page and back here afterwards. */
export async function requireUser(request: Request) {
  const { user, supabase, headers } = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    throw redirect(`/login?${params}`, { headers });
  }
  return { user, supabase, headers };
}
