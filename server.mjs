// The app's HTTP server: Remix behind Express, as remix-serve runs it, plus what every response needs
// before Remix sees the request: the security headers (with this response's CSP nonce) and the one
// origin rule for state-changing requests. The rules themselves live in the app (app/lib/*.server.ts)
// and reach this file through the server build's entry module.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import path from "node:path";
import url from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

installGlobals();

const build = await import(url.pathToFileURL(path.resolve("build/index.js")).href);
const { configuredOrigins, crossSiteRefusal, newCspNonce, refusalPage, securityHeaders, serverErrorPage } =
  build.entry.module;

/** TRUST_PROXY as Express reads it: unset = trust no proxy; "true", a hop count, or addresses/subnets. */
function trustProxy(value) {
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",").map((entry) => entry.trim());
}

const allowedOrigins = configuredOrigins(process.env.APP_ORIGINS);
const app = express();
app.disable("x-powered-by");
app.set("trust proxy", trustProxy(process.env.TRUST_PROXY));

app.use((req, res, next) => {
  const nonce = newCspNonce();
  res.locals.cspNonce = nonce;
  for (const [name, value] of Object.entries(securityHeaders({ nonce, https: req.secure, pathname: req.path }))) {
    res.setHeader(name, value);
  }
  next();
});

// The browser's address, for the sign-in event log, and an id that ties the loaders of one request
// together (one auth lookup per request); values sent by the client are never kept.
app.use((req, _res, next) => {
  req.headers["x-regtest-client-address"] = req.ip ?? "";
  req.headers["x-regtest-request-id"] = randomUUID();
  next();
});

app.use((req, res, next) => {
  const refusal = crossSiteRefusal({ method: req.method, header: (name) => req.get(name) }, allowedOrigins);
  if (!refusal) return next();
  console.warn(`refused ${req.method} ${req.originalUrl}: ${refusal.reason} (origin ${req.get("origin") ?? "none"})`);
  if (refusal.status === 405) res.setHeader("Allow", "GET, HEAD, POST");
  res.status(refusal.status).type("html").setHeader("Cache-Control", "no-store").send(refusalPage(refusal));
});

app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.use(morgan("tiny"));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce,
      clientAddress: req.ip,
      // Resolves once the response can take more (a streamed download waits for a slow reader with it: Remix's
      // adapter writes whatever the body gives without waiting). The real response's drain, not compression's.
      whenWritable: () =>
        new Promise((resolve) => {
          if (!res.writableNeedDrain || res.destroyed) return resolve();
          const done = () => {
            res.off("close", done);
            EventEmitter.prototype.removeListener.call(res, "drain", done);
            resolve();
          };
          EventEmitter.prototype.on.call(res, "drain", done);
          res.once("close", done);
        }),
    }),
  }),
);

// Errors raised before Remix answers (express.static refuses a malformed URL with 400): the app's own plain
// page instead of Express's, whose `Content-Security-Policy: default-src 'none'` would replace the app's policy
// (and its frame-ancestors) on that response.
app.use((error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 600 ? error.status : 500;
  if (status >= 500) console.error(error);
  else console.warn(`refused ${req.method} ${req.originalUrl}: ${status} ${error?.message ?? ""}`);
  res.status(status).type("html").setHeader("Cache-Control", "no-store").send(serverErrorPage(status));
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST;
const onListen = () => console.log(`[regtest] http://${host ?? "localhost"}:${port}`);
const server = host ? app.listen(port, host, onListen) : app.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close());
