import { sendJson } from "../http.ts";
import type { AuthHandler, AuthRequest, AuthDeps } from "./deps.ts";
import { badRequest, notFound, unprocessable } from "./errors.ts";
import { requireAdmin } from "./guard.ts";
import { assertStrongPassword, maxPasswordBytes, randomPassword } from "./passwords.ts";
import { booleanField, objectField, readJsonObject, stringField, type JsonObject } from "./request.ts";
import { endSessions } from "./sessions-repo.ts";
import {
  defaultAudience,
  defaultRole,
  deleteUser,
  emailTaken,
  findUserById,
  insertUser,
  listUsers,
  mergeMetadata,
  updateUser,
  userJson,
  type UserRow,
} from "./users-repo.ts";
import { parseGoDuration, validateEmail, validatePhone } from "./validation.ts";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const bcryptPattern = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const defaultPerPage = 50;

/** `ban_duration`: "none" lifts a ban, a Go duration bans until now + duration. */
function bannedUntil(body: JsonObject): Date | null | undefined {
  const duration = stringField(body, "ban_duration");
  if (!duration) return undefined;
  if (duration === "none") return null;
  return new Date(Date.now() + parseGoDuration(duration));
}

function pageParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw badRequest(
      "validation_failed",
      `Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`,
    );
  }
  return Number(raw);
}

/** GET /admin/users?page&per_page&filter: newest first, with GoTrue's Link and X-Total-Count headers. */
export const adminListUsers: AuthHandler = async ({ req, res, url }, deps) => {
  await requireAdmin(req, deps.sql, deps.jwtSecret);
  const page = Math.max(1, pageParam(url, "page", 1));
  const perPage = pageParam(url, "per_page", defaultPerPage) || defaultPerPage;
  const filter = url.searchParams.get("filter") ?? undefined;
  const { users, total } = await listUsers(deps.sql, { aud: defaultAudience, page, perPage, filter });

  const totalPages = Math.ceil(total / perPage);
  const link = (p: number) => {
    const query = new URLSearchParams(url.searchParams);
    query.delete("page");
    const rest = query.toString();
    return `</admin/users?page=${p}${rest ? `&${rest}` : ""}>`;
  };
  const links = [...(totalPages > page ? [`${link(page + 1)}; rel="next"`] : []), `${link(totalPages)}; rel="last"`];
  sendJson(
    res,
    200,
    { users: users.map(userJson), aud: defaultAudience },
    { link: links.join(", "), "x-total-count": String(total) },
  );
};

/** POST /admin/users: creates a user directly, confirmed only when asked (`email_confirm`). */
export const adminCreateUser: AuthHandler = async ({ req, res }, deps) => {
  await requireAdmin(req, deps.sql, deps.jwtSecret);
  const body = await readJsonObject(req, deps.maxBodyBytes);
  const rawEmail = stringField(body, "email") ?? "";
  const rawPhone = stringField(body, "phone") ?? "";
  if (!rawEmail && !rawPhone) {
    throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  }
  const providers: string[] = [];
  let email: string | null = null;
  let phone: string | null = null;
  if (rawEmail) {
    email = validateEmail(rawEmail);
    if (await emailTaken(deps.sql, email)) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    providers.push("email");
  }
  if (rawPhone) {
    phone = validatePhone(rawPhone);
    providers.push("phone");
  }
  const password = stringField(body, "password");
  const passwordHash = stringField(body, "password_hash");
  if (password !== undefined && passwordHash) {
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  }
  if (password && Buffer.byteLength(password, "utf8") > maxPasswordBytes) {
    throw badRequest("validation_failed", "bcrypt: password length exceeds 72 bytes");
  }
  if (passwordHash && !bcryptPattern.test(passwordHash)) {
    throw badRequest("validation_failed", "Only bcrypt password hashes are supported by this stack");
  }
  const id = stringField(body, "id");
  if (id !== undefined && !uuidPattern.test(id)) {
    throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
  }
  if (id === "00000000-0000-0000-0000-000000000000") throw badRequest("validation_failed", "ID cannot be a nil uuid");

  const user = await insertUser(deps.sql, {
    id,
    email,
    phone,
    password: passwordHash ? undefined : password || randomPassword(),
    passwordHash: passwordHash || undefined,
    role: stringField(body, "role") || defaultRole,
    aud: stringField(body, "aud") || defaultAudience,
    appMetadata: mergeMetadata({ provider: providers[0], providers }, objectField(body, "app_metadata") ?? {}),
    userMetadata: objectField(body, "user_metadata") ?? {},
    emailConfirmed: booleanField(body, "email_confirm"),
    phoneConfirmed: booleanField(body, "phone_confirm"),
    bannedUntil: bannedUntil(body) ?? null,
  });
  sendJson(res, 200, userJson(user));
};

async function loadUser({ params }: AuthRequest, deps: AuthDeps): Promise<UserRow> {
  const id = params.id ?? "";
  if (!uuidPattern.test(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(deps.sql, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

/** GET /admin/users/:id. */
export const adminGetUser: AuthHandler = async (r, deps) => {
  await requireAdmin(r.req, deps.sql, deps.jwtSecret);
  sendJson(r.res, 200, userJson(await loadUser(r, deps)));
};

/**
 * GET /admin/users/:id/factors: the user's MFA factors. MFA is off on this stack, so nobody has one: GoTrue's
 * answer for a user without factors, `[]` (404 user_not_found for an unknown user).
 */
export const adminListFactors: AuthHandler = async (r, deps) => {
  await requireAdmin(r.req, deps.sql, deps.jwtSecret);
  await loadUser(r, deps);
  sendJson(r.res, 200, []);
};

/** PUT and DELETE /admin/users/:id/factors/:factorId: no factor exists, as GoTrue answers for an unknown one. */
export const adminChangeFactor: AuthHandler = async (r, deps) => {
  await requireAdmin(r.req, deps.sql, deps.jwtSecret);
  await loadUser(r, deps);
  throw notFound("mfa_factor_not_found", "Factor not found");
};

/** PUT /admin/users/:id: email, phone, password, role, confirmation, metadata and bans. */
export const adminUpdateUser: AuthHandler = async (r, deps) => {
  await requireAdmin(r.req, deps.sql, deps.jwtSecret);
  const user = await loadUser(r, deps);
  const body = await readJsonObject(r.req, deps.maxBodyBytes);
  const rawEmail = stringField(body, "email");
  const rawPhone = stringField(body, "phone");
  const email = rawEmail ? validateEmail(rawEmail) : undefined;
  const phone = rawPhone ? validatePhone(rawPhone) : undefined;
  if (email && (await emailTaken(deps.sql, email, user.id))) {
    throw unprocessable("email_exists", "A user with this email address has already been registered");
  }
  const password = stringField(body, "password");
  if (password !== undefined) assertStrongPassword(password, deps.settings.minimumPasswordLength);

  const updated = await deps.sql.begin(async (tx) => {
    const row = await updateUser(tx, user.id, {
      email,
      phone,
      password,
      role: stringField(body, "role") || undefined,
      confirmEmail: booleanField(body, "email_confirm"),
      confirmPhone: booleanField(body, "phone_confirm"),
      appMetadata: objectField(body, "app_metadata"),
      userMetadata: objectField(body, "user_metadata"),
      bannedUntil: bannedUntil(body),
    });
    // A password set by an admin signs the user out everywhere, as GoTrue's UpdatePassword does.
    if (password !== undefined) await endSessions(tx, user.id, undefined, "global");
    return row;
  });
  sendJson(r.res, 200, userJson(updated!));
};

/** DELETE /admin/users/:id: removes the user with its sessions and refresh tokens. */
export const adminDeleteUser: AuthHandler = async (r, deps) => {
  await requireAdmin(r.req, deps.sql, deps.jwtSecret);
  const user = await loadUser(r, deps);
  const declared = Number(r.req.headers["content-length"] ?? 0);
  const body = declared > 0 || r.req.headers["transfer-encoding"] ? await readJsonObject(r.req, deps.maxBodyBytes) : {};
  if (body.should_soft_delete === true) {
    throw badRequest("validation_failed", "Soft deletion is not available on this stack");
  }
  await deleteUser(deps.sql, user.id);
  sendJson(r.res, 200, {});
};
