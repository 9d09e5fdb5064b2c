// Where the functions may connect for a `database` data source, and how. A tester names the host and port, so
// without a policy "test connection" and rule execution would reach anything the functions can: loopback, the
// cloud metadata service, the functions' own network. Both paths check the host here first and then connect to
// the address that was checked, not the name again, so a name cannot resolve to an allowed address for the
// check and to another for the connection.
//
// DATABASE_SOURCE_ALLOWED_HOSTS: comma-separated host names (`db.bank.internal`, `*.bank.internal`) and
//   addresses or CIDR ranges (`10.20.0.0/16`, `fd00::/8`). When set, a source's host must be a listed name or
//   resolve only to listed addresses. When unset, every host is allowed except loopback, link-local and
//   unspecified addresses.
// DATABASE_SOURCE_SSL: `prefer` (default), `require` (encrypted, certificate not checked) or `verify-full`
//   (encrypted, certificate checked against the source's host name).
import { lookup } from "node:dns";
import process from "node:process";

export type SourceSslMode = "prefer" | "require" | "verify-full";

/** An address family and its value as a number: IPv4 in 32 bits, IPv6 in 128. */
interface Address {
  v6: boolean;
  value: bigint;
}

interface Range {
  v6: boolean;
  base: bigint;
  bits: number;
  text: string;
}

/** Resolves a host name to all of its addresses, as `dns.lookup(name, { all: true })`. */
export type HostResolver = (host: string) => Promise<string[]>;

export interface HostPolicy {
  /** Listed names (lower case; `*.suffix` matches any name under it) and ranges; null: the default policy. */
  allowed: { names: string[]; ranges: Range[] } | null;
  resolve: HostResolver;
}

export interface SourcePolicy {
  hosts: HostPolicy;
  ssl: SourceSslMode;
}

/** Where to connect after the check: an address (or an explicitly allowed name) and the name for TLS. */
export interface CheckedHost {
  connectTo: string;
  servername: string | undefined;
}

/** Why a source's host was refused; no connection was attempted. */
export class HostNotAllowedError extends Error {
  override readonly name = "HostNotAllowedError";
  readonly code = "host_not_allowed";
}

/** Why a source's host name could not be resolved for the check. */
export class HostUnresolvedError extends Error {
  override readonly name = "HostUnresolvedError";

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_REFUSED = ["127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/32", "::1/128", "fe80::/10", "::/128"].map((text) =>
  parseRange(text)!,
);

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  let rest = text;
  if (rest.includes(".")) {
    // An IPv4 tail (::ffff:192.0.2.1) is the last two 16-bit words.
    const lastColon = rest.lastIndexOf(":");
    const v4 = parseIPv4(rest.slice(lastColon + 1));
    if (v4 === null) return null;
    rest = `${rest.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  const group = (s: string) => (s === "" ? [] : s.split(":"));
  const head = group(halves[0]!);
  const back = halves.length === 2 ? group(halves[1]!) : [];
  const count = head.length + back.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  let value = 0n;
  for (const word of [...head, ...Array<string>(8 - count).fill("0"), ...back]) {
    if (!/^[0-9a-f]{1,4}$/i.test(word)) return null;
    value = (value << 16n) | BigInt(parseInt(word, 16));
  }
  return value;
}

/** An IPv4 or IPv6 address (brackets and an IPv6 zone allowed), or null if the text is not one. */
function parseAddress(text: string): Address | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1");
  const v4 = parseIPv4(bare);
  if (v4 !== null) return { v6: false, value: v4 };
  if (!bare.includes(":")) return null;
  const v6 = parseIPv6(bare.replace(/%.*$/, ""));
  if (v6 === null) return null;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

function parseRange(text: string): Range | null {
  const [addressText, bitsText, extra] = text.split("/");
  if (extra !== undefined || !addressText) return null;
  const address = parseAddress(addressText);
  if (!address) return null;
  const width = address.v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= width)) return null;
  const mask = ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return { v6: address.v6, base: address.value & mask, bits, text };
}

function inRange(address: Address, range: Range): boolean {
  if (address.v6 !== range.v6) return false;
  const width = address.v6 ? 128 : 32;
  const mask = ((1n << BigInt(range.bits)) - 1n) << BigInt(width - range.bits);
  return (address.value & mask) === range.base;
}

function normalName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/** `dns.lookup(host, { all: true })`: the addresses the system resolver gives, as the connection would use. */
const systemResolver: HostResolver = (host) =>
  new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

/**
 * The host policy of a DATABASE_SOURCE_ALLOWED_HOSTS value: null, empty or blank for the default policy.
 * Throws on an entry that is neither a host name nor an address or CIDR range.
 */
export function hostPolicy(allowedHosts: string | null | undefined, resolve = systemResolver): HostPolicy {
  const entries = (allowedHosts ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return { allowed: null, resolve };
  const names: string[] = [];
  const ranges: Range[] = [];
  for (const entry of entries) {
    const range = parseRange(entry);
    if (range) ranges.push(range);
    else if (/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(entry))
      names.push(normalName(entry));
    else throw new Error(`DATABASE_SOURCE_ALLOWED_HOSTS: "${entry}" is neither a host name nor an address range.`);
  }
  return { allowed: { names, ranges }, resolve };
}

export function sslMode(value: string | null | undefined): SourceSslMode {
  const mode = (value ?? "").trim() || "prefer";
  if (mode === "prefer" || mode === "require" || mode === "verify-full") return mode;
  throw new Error(`DATABASE_SOURCE_SSL must be prefer, require or verify-full, not "${mode}".`);
}

/** The policy the functions run with, from DATABASE_SOURCE_ALLOWED_HOSTS and DATABASE_SOURCE_SSL. */
export function sourcePolicyFromEnv(env: Record<string, string | undefined> = process.env): SourcePolicy {
  return { hosts: hostPolicy(env.DATABASE_SOURCE_ALLOWED_HOSTS), ssl: sslMode(env.DATABASE_SOURCE_SSL) };
}

function nameAllowed(name: string, names: string[]): boolean {
  return names.some((allowed) => (allowed.startsWith("*.") ? name.endsWith(allowed.slice(1)) : name === allowed));
}

function addressAllowed(address: Address, policy: HostPolicy): boolean {
  if (policy.allowed) return policy.allowed.ranges.some((range) => inRange(address, range));
  return !DEFAULT_REFUSED.some((range) => inRange(address, range));
}

function refusal(host: string, policy: HostPolicy, address?: string): HostNotAllowedError {
  const via = address && address !== host ? ` (it resolves to ${address})` : "";
  const why = policy.allowed
    ? "it is not among the hosts this deployment allows (DATABASE_SOURCE_ALLOWED_HOSTS)"
    : "loopback, link-local and unspecified addresses are refused unless DATABASE_SOURCE_ALLOWED_HOSTS lists them";
  return new HostNotAllowedError(`Database sources may not connect to ${host}${via}: ${why}.`);
}

/**
 * Checks a source's host against the policy before any connection: an address must be allowed; a listed name
 * is connected to by name; any other name must resolve only to allowed addresses, and the first of them is
 * where to connect. Throws HostNotAllowedError, or HostUnresolvedError when the name does not resolve.
 */
export async function checkSourceHost(host: string, policy: HostPolicy): Promise<CheckedHost> {
  const literal = parseAddress(host);
  if (literal) {
    if (!addressAllowed(literal, policy)) throw refusal(host, policy);
    return { connectTo: host.trim().replace(/^\[(.*)\]$/, "$1"), servername: undefined };
  }
  const name = normalName(host);
  if (policy.allowed && nameAllowed(name, policy.allowed.names)) return { connectTo: host, servername: undefined };
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "ENOTFOUND";
    throw new HostUnresolvedError(code, `Cannot resolve the host name ${host} (${code}).`);
  }
  if (addresses.length === 0) throw new HostUnresolvedError("ENOTFOUND", `Cannot resolve the host name ${host}.`);
  for (const address of addresses) {
    const parsed = parseAddress(address);
    if (!parsed || !addressAllowed(parsed, policy)) throw refusal(host, policy, address);
  }
  return { connectTo: addresses[0]!, servername: host };
}

/**
 * postgres.js's `ssl` option for a checked host. Connected to a resolved address, postgres.js would send no
 * server name, so the source's host name is passed on: for verify-full the certificate is checked against it,
 * and under require it is still sent (SNI), which servers that route by name need. Under prefer postgres.js
 * takes no options, so such servers need require.
 */
function sslOption(
  mode: SourceSslMode,
  checked: CheckedHost,
): SourceSslMode | { servername: string; rejectUnauthorized?: false } {
  if (!checked.servername || mode === "prefer") return mode;
  return mode === "verify-full"
    ? { servername: checked.servername }
    : { servername: checked.servername, rejectUnauthorized: false };
}

/**
 * Where and how to connect for a source's host under the policy: the checked address (or allowed name) as
 * postgres.js's `host`, and its `ssl` option. Throws HostNotAllowedError or HostUnresolvedError, before any
 * connection is attempted.
 */
export async function sourceConnection(
  host: string,
  policy: SourcePolicy,
): Promise<{ host: string; ssl: ReturnType<typeof sslOption> }> {
  const checked = await checkSourceHost(host, policy.hosts);
  return { host: checked.connectTo, ssl: sslOption(policy.ssl, checked) };
}
