import type { SupabaseClient, User } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";

const appRoles = {
  admin: "Admin",
  tester: "Tester",
  report_owner: "Report owner",
  data_provider: "Data provider",
} as const;

const profileRow = z.object({
  full_name: z.string().nullable(),
  app_role: z.enum(["admin", "tester", "report_owner", "data_provider"]).nullable(),
});

export interface Profile {
  email: string;
  fullName: string | null;
  roleLabel: string | null;
  isAdmin: boolean;
  isReportOwner: boolean;
  isDataProvider: boolean;
}

/**
 * Who the user is, from their `profiles` row. A missing row, a failed query or an unexpected shape still
 * yields the email from the session, so the page never breaks over profile data.
 */
export async function getProfile(supabase: SupabaseClient<Database>, user: User): Promise<Profile> {
  const fallback: Profile = {
    email: user.email ?? "",
    fullName: null,
    roleLabel: null,
    isAdmin: false,
    isReportOwner: false,
    isDataProvider: false,
  };
  const { data, error } = await supabase.from("profiles").select("full_name, app_role").eq("id", user.id).maybeSingle();
  if (error) {
    console.warn(`profiles lookup failed for ${user.id}: ${error.message}`);
    return fallback;
  }
  const row = profileRow.safeParse(data);
  if (!row.success) return fallback;
  return {
    ...fallback,
    fullName: row.data.full_name,
    roleLabel: row.data.app_role ? appRoles[row.data.app_role] : null,
    isAdmin: row.data.app_role === "admin",
    isReportOwner: row.data.app_role === "report_owner",
    isDataProvider: row.data.app_role === "data_provider",
  };
}
