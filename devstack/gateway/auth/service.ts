import postgres from "postgres";
import type { GatewayContext, Service } from "../context.ts";
import { sendJson } from "../http.ts";
import {
  adminChangeFactor,
  adminCreateUser,
  adminDeleteUser,
  adminGetUser,
  adminListFactors,
  adminListUsers,
  adminUpdateUser,
} from "./admin.ts";
import type { AuthDeps, AuthHandler } from "./deps.ts";
import { generateLink, invite, otp, reauthenticate, recover, resend, verifyGet, verifyPost } from "./email-links.ts";
import { AuthError, badRequest, notFound, sendAuthError } from "./errors.ts";
import { RateLimiter } from "./rate-limit.ts";
import { loadSessionLimits } from "./session-limits.ts";
import { loadAuthSettings, type AuthSettings } from "./settings.ts";
import { signup } from "./signup.ts";
import { token } from "./token.ts";
import { getUser, logout, updateCurrentUser } from "./user.ts";

interface Route {
  method: string;
  pattern: RegExp;
  handler: AuthHandler;
}

const settingsHandler: AuthHandler = async ({ res }, deps) => sendJson(res, 200, settingsBody(deps.settings));

const healthHandler: AuthHandler = async ({ res }) =>
  sendJson(res, 200, {
    version: "devstack",
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  });

const refuse =
  (error: () => AuthError): AuthHandler =>
  async () => {
    throw error();
  };
const providerDisabled = () => badRequest("validation_failed", "Unsupported provider: provider is not enabled");

/**
 * GoTrue features this stack leaves off (OAuth providers, MFA, SSO, identity linking), answered with the JSON
 * error GoTrue gives while they are disabled or have nothing to act on, never a plain-text 404.
 */
const unservedRoutes: Route[] = [
  { method: "GET", pattern: /^\/authorize$/, handler: refuse(providerDisabled) },
  { method: "GET", pattern: /^\/user\/identities\/authorize$/, handler: refuse(providerDisabled) },
  {
    method: "DELETE",
    pattern: /^\/user\/identities\/[^/]+$/,
    handler: refuse(() => notFound("identity_not_found", "Identity doesn't exist")),
  },
  {
    method: "POST",
    pattern: /^\/factors$/,
    handler: refuse(() => new AuthError(422, "mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP")),
  },
  {
    method: "POST",
    pattern: /^\/factors\/[^/]+\/(challenge|verify)$/,
    handler: refuse(() => notFound("mfa_factor_not_found", "Factor not found")),
  },
  {
    method: "DELETE",
    pattern: /^\/factors\/[^/]+$/,
    handler: refuse(() => notFound("mfa_factor_not_found", "Factor not found")),
  },
  {
    method: "POST",
    pattern: /^\/sso$/,
    handler: refuse(() => notFound("sso_provider_not_found", "No SSO provider assigned for this domain")),
  },
];

const routes: Route[] = [
  { method: "GET", pattern: /^\/health$/, handler: healthHandler },
  { method: "GET", pattern: /^\/settings$/, handler: settingsHandler },
  { method: "POST", pattern: /^\/signup$/, handler: signup },
  { method: "POST", pattern: /^\/token$/, handler: token },
  { method: "GET", pattern: /^\/user$/, handler: getUser },
  { method: "PUT", pattern: /^\/user$/, handler: updateCurrentUser },
  { method: "POST", pattern: /^\/logout$/, handler: logout },
  { method: "GET", pattern: /^\/admin\/users$/, handler: adminListUsers },
  { method: "POST", pattern: /^\/admin\/users$/, handler: adminCreateUser },
  { method: "GET", pattern: /^\/admin\/users\/(?<id>[^/]+)$/, handler: adminGetUser },
  { method: "PUT", pattern: /^\/admin\/users\/(?<id>[^/]+)$/, handler: adminUpdateUser },
  { method: "DELETE", pattern: /^\/admin\/users\/(?<id>[^/]+)$/, handler: adminDeleteUser },
  { method: "GET", pattern: /^\/admin\/users\/(?<id>[^/]+)\/factors$/, handler: adminListFactors },
  { method: "PUT", pattern: /^\/admin\/users\/(?<id>[^/]+)\/factors\/[^/]+$/, handler: adminChangeFactor },
  { method: "DELETE", pattern: /^\/admin\/users\/(?<id>[^/]+)\/factors\/[^/]+$/, handler: adminChangeFactor },
  { method: "POST", pattern: /^\/recover$/, handler: recover },
  { method: "POST", pattern: /^\/otp$/, handler: otp },
  { method: "POST", pattern: /^\/magiclink$/, handler: otp },
  { method: "POST", pattern: /^\/resend$/, handler: resend },
  { method: "POST", pattern: /^\/invite$/, handler: invite },
  { method: "POST", pattern: /^\/admin\/generate_link$/, handler: generateLink },
  { method: "POST", pattern: /^\/verify$/, handler: verifyPost },
  { method: "GET", pattern: /^\/verify$/, handler: verifyGet },
  { method: "GET", pattern: /^\/reauthenticate$/, handler: reauthenticate },
  ...unservedRoutes,
];

/** GoTrue's /settings for this stack: email sign-ups only. */
function settingsBody(s: AuthSettings) {
  const providers = [
    "apple",
    "azure",
    "bitbucket",
    "discord",
    "facebook",
    "snapchat",
    "figma",
    "fly",
    "github",
    "gitlab",
    "google",
    "keycloak",
    "kakao",
    "linkedin",
    "linkedin_oidc",
    "notion",
    "spotify",
    "slack",
    "slack_oidc",
    "workos",
    "twitch",
    "twitter",
    "email",
    "phone",
    "zoom",
  ];
  const external: Record<string, boolean> = { anonymous_users: s.anonymousSignIns };
  for (const p of providers) external[p] = p === "email";
  return {
    external,
    disable_signup: !s.enableSignup,
    mailer_autoconfirm: s.mailerAutoconfirm,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}

/**
 * The GoTrue stand-in behind /auth/v1: email/password sign-up and sign-in, refresh token rotation,
 * the current user, sign-out and user administration, on the `auth` schema as GoTrue keeps it.
 */
export function createAuthService(ctx: GatewayContext): Service {
  const sql = postgres(ctx.authAdminUrl, { max: 5, idle_timeout: 30, onnotice: () => {} });
  const settings = loadAuthSettings(ctx.configPath);
  const deps: AuthDeps = {
    sql: sql as unknown as AuthDeps["sql"],
    settings,
    sessions: loadSessionLimits(ctx.configPath),
    tokens: { jwtSecret: ctx.jwtSecret, jwtExpirySeconds: ctx.jwtExpirySeconds, issuer: `${ctx.publicUrl}/auth/v1` },
    jwtSecret: ctx.jwtSecret,
    maxBodyBytes: ctx.maxBodyBytes,
    limits: {
      signInSignUps: new RateLimiter(settings.rateLimits.signInSignUps),
      tokenRefresh: new RateLimiter(settings.rateLimits.tokenRefresh),
    },
  };
  return {
    async handle(req, res, path, url) {
      // Browsers must be able to read the API version to tell new error bodies from old ones.
      const exposed = String(res.getHeader("access-control-expose-headers") ?? "");
      res.setHeader("access-control-expose-headers", [exposed, "x-supabase-api-version"].filter(Boolean).join(","));

      const matching = routes.filter((r) => r.pattern.test(path));
      const route = matching.find((r) => r.method === req.method);
      if (!route) {
        // The answers of GoTrue's router for an unknown path and for a known path with another method.
        if (matching.length) res.writeHead(405).end();
        else res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("404 page not found\n");
        return;
      }
      const params = { ...route.pattern.exec(path)?.groups };
      try {
        await route.handler({ req, res, url, params }, deps);
      } catch (error) {
        if (error instanceof AuthError) return sendAuthError(req, res, error);
        console.error("auth error", error);
        sendAuthError(
          req,
          res,
          new AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information"),
        );
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
