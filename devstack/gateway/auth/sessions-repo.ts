import { randomBytes } from "node:crypto";
import { instanceId, touchLastSignIn, type Db } from "./users-repo.ts";

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  not_after: Date | null;
}

export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  updated_at: Date;
}

const base32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A refresh token in GoTrue's v1 format: 12 lower-case base32 characters. */
export function newRefreshToken(): string {
  const bytes = randomBytes(8);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, 12);
}

export const refreshTokenFormat = /^[a-z0-9]{12}$/;

async function insertRefreshToken(sql: Db, userId: string, sessionId: string, parent: string | null) {
  const [row] = await sql<RefreshTokenRow[]>`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${instanceId}, ${newRefreshToken()}, ${userId}, false, now(), now(), ${parent}, ${sessionId})
    returning id, token, user_id, revoked, parent, session_id, updated_at`;
  await touchLastSignIn(sql, userId);
  return row!;
}

/** A new session with its first refresh token (GoTrue's GrantAuthenticatedUser). */
export async function startSession(sql: Db, userId: string): Promise<{ session: SessionRow; token: RefreshTokenRow }> {
  const [session] = await sql<SessionRow[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal)
    values (gen_random_uuid(), ${userId}, now(), now(), 'aal1')
    returning id, user_id, created_at, not_after`;
  const token = await insertRefreshToken(sql, userId, session!.id, null);
  return { session: session!, token };
}

/** Revokes `old` and issues its child in the same session (GoTrue's GrantRefreshTokenSwap). */
export async function swapRefreshToken(sql: Db, old: RefreshTokenRow): Promise<RefreshTokenRow> {
  await sql`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${old.id}`;
  return insertRefreshToken(sql, old.user_id, old.session_id!, old.token);
}

export async function findRefreshToken(
  sql: Db,
  token: string,
  forUpdate = false,
): Promise<RefreshTokenRow | undefined> {
  const [row] = forUpdate
    ? await sql<RefreshTokenRow[]>`
        select id, token, user_id, revoked, parent, session_id, updated_at
        from auth.refresh_tokens where token = ${token} for update`
    : await sql<RefreshTokenRow[]>`
        select id, token, user_id, revoked, parent, session_id, updated_at
        from auth.refresh_tokens where token = ${token}`;
  return row;
}

export async function findSession(sql: Db, id: string, forUpdate = false): Promise<SessionRow | undefined> {
  const [row] = forUpdate
    ? await sql<SessionRow[]>`select id, user_id, created_at, not_after from auth.sessions where id = ${id} for update`
    : await sql<SessionRow[]>`select id, user_id, created_at, not_after from auth.sessions where id = ${id}`;
  return row;
}

/** The session's newest unrevoked refresh token. */
export async function activeRefreshToken(sql: Db, sessionId: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await sql<RefreshTokenRow[]>`
    select id, token, user_id, revoked, parent, session_id, updated_at from auth.refresh_tokens
    where session_id = ${sessionId} and revoked = false order by id desc limit 1`;
  return row;
}

/** Revokes every live token of the session: the response to a refresh token replayed too late. */
export async function revokeTokenFamily(sql: Db, sessionId: string): Promise<void> {
  await sql`update auth.refresh_tokens set revoked = true, updated_at = now()
            where session_id = ${sessionId} and revoked = false`;
}

export async function deleteRefreshToken(sql: Db, id: string): Promise<void> {
  await sql`delete from auth.refresh_tokens where id = ${id}`;
}

export async function touchSession(sql: Db, id: string): Promise<void> {
  await sql`update auth.sessions set updated_at = now() where id = ${id}`;
}

export type LogoutScope = "global" | "local" | "others";

/** Deletes sessions (their refresh tokens go with them through the foreign key), as GoTrue's logout does. */
export async function endSessions(sql: Db, userId: string, sessionId: string | undefined, scope: LogoutScope) {
  if (sessionId && scope === "local") await sql`delete from auth.sessions where id = ${sessionId}`;
  else if (sessionId && scope === "others") {
    await sql`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  } else await sql`delete from auth.sessions where user_id = ${userId}`;
}
