import type postgres from "postgres";
import type { JsonObject } from "./request.ts";

/** A connection or a transaction: repository functions run in either. */
export type Db = postgres.ISql;

/** GoTrue keeps its users under the nil instance id. */
export const instanceId = "00000000-0000-0000-0000-000000000000";
export const defaultAudience = "authenticated";
export const defaultRole = "authenticated";

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_sent_at: Date | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  recovery_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: JsonObject | null;
  raw_user_meta_data: JsonObject | null;
  created_at: Date | null;
  updated_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
  has_password: boolean;
}

const userColumns = (sql: Db) => sql`
  id, aud, role, email, phone, email_confirmed_at, invited_at, confirmation_sent_at, phone_confirmed_at,
  confirmed_at, recovery_sent_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at,
  updated_at, banned_until, deleted_at, is_anonymous,
  coalesce(encrypted_password, '') <> '' as has_password`;

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

/** The user as GoTrue serialises it: optional timestamps are left out when null, email/phone are "" when null. */
export function userJson(u: UserRow): JsonObject {
  const json: JsonObject = {
    id: u.id,
    aud: u.aud ?? "",
    role: u.role ?? "",
    email: u.email ?? "",
    email_confirmed_at: iso(u.email_confirmed_at),
    invited_at: iso(u.invited_at),
    phone: u.phone ?? "",
    phone_confirmed_at: iso(u.phone_confirmed_at),
    confirmation_sent_at: iso(u.confirmation_sent_at),
    confirmed_at: iso(u.confirmed_at),
    recovery_sent_at: iso(u.recovery_sent_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(u.created_at) ?? "0001-01-01T00:00:00Z",
    updated_at: iso(u.updated_at) ?? "0001-01-01T00:00:00Z",
    banned_until: iso(u.banned_until),
    deleted_at: iso(u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}

export function isBanned(u: UserRow, now = new Date()): boolean {
  return !!u.banned_until && u.banned_until > now;
}

export async function findUserById(sql: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`select ${userColumns(sql)} from auth.users where id = ${id}`;
  return row;
}

/** GoTrue's FindUserByEmailAndAudience: case-insensitive email, nil instance, not an SSO user. */
export async function findUserByEmail(sql: Db, email: string, aud = defaultAudience): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    select ${userColumns(sql)} from auth.users
    where instance_id = ${instanceId} and lower(email) = ${email.toLowerCase()} and aud = ${aud}
      and is_sso_user = false`;
  return row;
}

/** Any non-SSO user holding this email, whatever its instance: the unique index would refuse a second one. */
export async function emailTaken(sql: Db, email: string, exceptUserId?: string): Promise<boolean> {
  const rows = await sql`
    select 1 from auth.users
    where lower(email) = ${email.toLowerCase()} and is_sso_user = false
      and (${exceptUserId ?? null}::uuid is null or id <> ${exceptUserId ?? null}::uuid)`;
  return rows.length > 0;
}

/** Checks a password against the stored bcrypt hash in the database (pgcrypto), as GoTrue's bcrypt does. */
export async function passwordMatches(sql: Db, userId: string, password: string): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    select coalesce(encrypted_password, '') <> ''
       and encrypted_password = extensions.crypt(${password}, encrypted_password) as ok
    from auth.users where id = ${userId}`;
  return row?.ok ?? false;
}

/** A bcrypt hash (cost 10, as every stored hash) of a random value nobody knows. */
const dummyPasswordHash = "$2a$10$xBcF6/QjBwh4xscmhCCXO.T.gNOFnS.J4imw6xN4jNRBBSrzTA62.";

/** Checks a password against a hash no password matches, spending the time a real check takes. */
export async function passwordMatchesNothing(sql: Db, password: string): Promise<void> {
  await sql`select extensions.crypt(${password}, ${dummyPasswordHash}) = ${dummyPasswordHash} as ok`;
}

export interface NewUser {
  id?: string;
  email: string | null;
  phone: string | null;
  /** Plain password, hashed with bcrypt cost 10 in the database. */
  password?: string;
  /** A bcrypt hash given by an admin instead of a password. */
  passwordHash?: string;
  role: string;
  aud: string;
  appMetadata: JsonObject;
  userMetadata: JsonObject;
  emailConfirmed: boolean;
  phoneConfirmed: boolean;
  bannedUntil: Date | null;
}

export async function insertUser(sql: Db, u: NewUser): Promise<UserRow> {
  const [row] = await sql<UserRow[]>`
    insert into auth.users (
      instance_id, id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
      confirmation_token, recovery_token, email_change_token_new, email_change, raw_app_meta_data,
      raw_user_meta_data, created_at, updated_at, banned_until, is_sso_user, is_anonymous
    ) values (
      ${instanceId}, coalesce(${u.id ?? null}::uuid, gen_random_uuid()), ${u.aud}, ${u.role}, ${u.email},
      ${u.phone},
      case when ${u.passwordHash ?? null}::text is not null then ${u.passwordHash ?? null}::text
           else extensions.crypt(${u.password ?? ""}, extensions.gen_salt('bf', 10)) end,
      case when ${u.emailConfirmed} then now() end, case when ${u.phoneConfirmed} then now() end,
      '', '', '', '', ${sql.json(u.appMetadata as postgres.JSONValue)}, ${sql.json(u.userMetadata as postgres.JSONValue)},
      now(), now(), ${u.bannedUntil}, false, false
    )
    returning ${userColumns(sql)}`;
  return row!;
}

export interface UserChanges {
  email?: string;
  phone?: string;
  password?: string;
  role?: string;
  confirmEmail?: boolean;
  confirmPhone?: boolean;
  appMetadata?: JsonObject;
  userMetadata?: JsonObject;
  bannedUntil?: Date | null;
}

/**
 * Applies an update the way GoTrue's models do: metadata keys are merged (a null value removes the key),
 * a new password is re-hashed, and `updated_at` moves.
 */
export async function updateUser(sql: Db, id: string, c: UserChanges): Promise<UserRow | undefined> {
  const current = await findUserById(sql, id);
  if (!current) return undefined;
  const app = c.appMetadata ? mergeMetadata(current.raw_app_meta_data, c.appMetadata) : null;
  const user = c.userMetadata ? mergeMetadata(current.raw_user_meta_data, c.userMetadata) : null;
  const [row] = await sql<UserRow[]>`
    update auth.users set
      email = coalesce(${c.email ?? null}::text, email),
      phone = coalesce(${c.phone ?? null}::text, phone),
      role = coalesce(${c.role ?? null}::text, role),
      encrypted_password = case when ${c.password ?? null}::text is null then encrypted_password
        else extensions.crypt(${c.password ?? null}::text, extensions.gen_salt('bf', 10)) end,
      email_confirmed_at = case when ${c.confirmEmail ?? false} then coalesce(email_confirmed_at, now())
        else email_confirmed_at end,
      phone_confirmed_at = case when ${c.confirmPhone ?? false} then coalesce(phone_confirmed_at, now())
        else phone_confirmed_at end,
      raw_app_meta_data = coalesce(${app && sql.json(app as postgres.JSONValue)}::jsonb, raw_app_meta_data),
      raw_user_meta_data = coalesce(${user && sql.json(user as postgres.JSONValue)}::jsonb, raw_user_meta_data),
      banned_until = case when ${c.bannedUntil !== undefined} then ${c.bannedUntil ?? null}::timestamptz
        else banned_until end,
      updated_at = now()
    where id = ${id}
    returning ${userColumns(sql)}`;
  return row;
}

export function mergeMetadata(current: JsonObject | null, updates: JsonObject): JsonObject {
  const merged: JsonObject = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export async function deleteUser(sql: Db, id: string): Promise<void> {
  await sql`delete from auth.users where id = ${id}`;
}

export interface UserPage {
  users: UserRow[];
  total: number;
}

/** GoTrue's FindUsersInAudience: newest first, optional filter on email or full name, paginated. */
export async function listUsers(
  sql: Db,
  opts: { aud: string; page: number; perPage: number; filter?: string },
): Promise<UserPage> {
  const like = opts.filter ? `%${opts.filter}%` : null;
  const where = sql`
    instance_id = ${instanceId} and aud = ${opts.aud}
    and (${like}::text is null or email like ${like} or raw_user_meta_data->>'full_name' ilike ${like})`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from auth.users where ${where}`;
  const users = await sql<UserRow[]>`
    select ${userColumns(sql)} from auth.users where ${where}
    order by created_at desc
    limit ${opts.perPage} offset ${(opts.page - 1) * opts.perPage}`;
  return { users: [...users], total: count?.total ?? 0 };
}

/** GoTrue records every grant of a refresh token as a sign-in. */
export async function touchLastSignIn(sql: Db, id: string): Promise<void> {
  await sql`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${id}`;
}
