// Where the functions may connect for a `database` data source, and how. A tester names the host and port, so
// without a policy "test connection" and rule execution would reach anything the functions can: loopback, the
// cloud metadata service, the functions' own network. Both paths check the host here first and then connect to
// the address that was checked, not the name again, so a name cannot resolve to an allowed address for the
// check and to another for the connection. A host text is read one way only (decision 010): texts resolvers
// read differently (`010.0.0.1`, `127.1`, `::127.0.0.1`) and IPv6 addresses standing for IPv4 ones are refused,
// and the driver gets the checked address in its standard text, in a form it does not split.
//
// DATABASE_SOURCE_ALLOWED_HOSTS: comma-separated host names (`db.bank.internal`, `*.bank.internal`) and
//   addresses or CIDR ranges (`10.20.0.0/16`, `fd00::/8`). When set, a source's host must be a listed name or
//   resolve only to listed addresses. When unset, every host is allowed except those of DEFAULT_REFUSED
//   (loopback, link-local, unspecified, cloud metadata and other reserved addresses) and METADATA_NAMES.
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

const IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
/** An IPv4 address as four decimal numbers without leading zeros: the only IPv4 form a source may give. */
const CANONICAL_IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);
/** IPv6 in hexadecimal groups, `::` allowed; no embedded dotted IPv4 part and no zone. */
const HEX_IPV6 = /^[0-9a-f:]+$/i;
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/**
 * Refused under the default policy (DATABASE_SOURCE_ALLOWED_HOSTS unset), each allowed only by listing it:
 * this machine (loopback, unspecified, "this network" 0.0.0.0/8), link-local (the cloud metadata services of
 * AWS, GCP, Azure, OpenStack at 169.254.169.254, AWS ECS at 169.254.170.2), the metadata services outside it
 * (Alibaba 100.100.100.200, Azure's platform address 168.63.129.16, Oracle's 192.0.0.192, AWS's IPv6 services
 * in fd00:ec2::/32), addresses a TCP connection cannot mean (multicast, reserved, broadcast), and the IPv6
 * prefixes a gateway translates to an IPv4 address of its choosing (NAT64, 6to4, Teredo).
 */
const DEFAULT_REFUSED = [
  "0.0.0.0/8",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "100.100.100.200/32",
  "168.63.129.16/32",
  "192.0.0.192/32",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "fe80::/10",
  "fd00:ec2::/32",
  "ff00::/8",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "2002::/16",
  "2001::/32",
].map((text) => parseRange(text)!);

/**
 * IPv6 addresses that stand for an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96 but for ::
 * and ::1, IPv4-translated ::ffff:0:0:0/96): a dual-stack socket connects to the IPv4 address they embed
 * (::ffff:127.0.0.1 is this machine), so a check of the IPv6 address would say nothing. Refused under every
 * policy: a source on such a host gives the IPv4 address itself.
 */
const EMBEDS_IPV4 = ["::ffff:0:0/96", "::ffff:0:0:0/96", "::/96"].map((text) => parseRange(text)!);

/** Names of cloud metadata services: refused unless listed exactly (a `*.internal` entry does not allow them). */
const METADATA_NAMES = [
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
];

function parseIPv4(text: string): bigint | null {
  if (!CANONICAL_IPV4.test(text)) return null;
  return text.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIPv6(text: string): bigint | null {
  let rest = text;
  if (rest.includes(".")) {
    // An IPv4 tail (::ffff:192.0.2.1) is the last two 16-bit words: resolvers may answer in this form.
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

/** An IPv4 address (canonical dotted decimal only) or an IPv6 address (brackets allowed), or null. */
function parseAddress(text: string): Address | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1");
  const v4 = parseIPv4(bare);
  if (v4 !== null) return { v6: false, value: v4 };
  if (!bare.includes(":")) return null;
  const v6 = parseIPv6(bare);
  return v6 === null ? null : { v6: true, value: v6 };
}

/** The one text of an address: dotted decimal, or RFC 5952 IPv6 (lower case, longest run of zeros as `::`). */
function formatAddress(address: Address): string {
  if (!address.v6) return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join(".");
  const words = Array.from({ length: 8 }, (_, i) => Number((address.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
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
    else if (isHostName(entry.replace(/^\*\./, ""))) names.push(normalName(entry));
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

const NOT_LISTED = "it is not among the hosts this deployment allows (DATABASE_SOURCE_ALLOWED_HOSTS)";
const RESERVED =
  "loopback, link-local, unspecified, cloud metadata and other reserved addresses are refused unless " +
  "DATABASE_SOURCE_ALLOWED_HOSTS lists them";

function refusal(host: string, why: string, address?: string): HostNotAllowedError {
  const via = address && address !== host ? ` (it resolves to ${address})` : "";
  return new HostNotAllowedError(`Database sources may not connect to ${host}${via}: ${why}.`);
}

/** Why an address is refused under the policy, or null when it is allowed. */
function addressRefusal(address: Address, policy: HostPolicy): string | null {
  if (address.v6 && EMBEDS_IPV4.some((range) => inRange(address, range)) && address.value > 1n) {
    return "it is an IPv6 address standing for an IPv4 address; give the IPv4 address itself";
  }
  if (addressAllowed(address, policy)) return null;
  return policy.allowed ? NOT_LISTED : RESERVED;
}

/**
 * A DNS name (a trailing dot allowed) whose last label is not a number: resolvers read `10.1`, `0x7f.1` or
 * `2130706433` as IPv4 addresses.
 */
function isHostName(text: string): boolean {
  const labels = text.replace(/\.$/, "").split(".");
  const numeric = /^(0x[0-9a-f]*|[0-9]+)$/i.test(labels[labels.length - 1]!);
  return text.length <= 254 && !numeric && labels.every((label) => LABEL.test(label));
}

/**
 * What a source's host text is, read the one way every resolver reads it: an IPv4 address in dotted decimal
 * without leading zeros, an IPv6 address in hexadecimal (in brackets or not), or a DNS name whose last label is
 * not a number. Anything else is refused, since resolvers disagree on it: `010.0.0.1` (octal 8.0.0.1 to
 * inet_aton), `0x7f.1`, `127.1`, `2130706433`, IPv6 with a dotted IPv4 tail (`::127.0.0.1`) or a zone
 * (`fe80::1%eth0`), a port or a path.
 */
function readHost(host: string): { address: Address } | { name: string } {
  const text = host.trim();
  const bracketed = /^\[(.*)\]$/.exec(text);
  if (bracketed || text.includes(":")) {
    const inner = bracketed ? bracketed[1]! : text;
    const value = HEX_IPV6.test(inner) ? parseIPv6(inner) : null;
    if (value !== null) return { address: { v6: true, value } };
  } else {
    const v4 = parseIPv4(text);
    if (v4 !== null) return { address: { v6: false, value: v4 } };
    if (isHostName(text)) return { name: text };
  }
  throw refusal(
    host,
    "it is neither an IP address in standard form (IPv4 as four decimal numbers without leading zeros, IPv6 in " +
      "hexadecimal without an IPv4 part or zone) nor a host name",
  );
}

/**
 * Checks a source's host against the policy before any connection: an address must be allowed, and is
 * connected to in its one standard text; a listed name is connected to by name; any other name must resolve
 * only to allowed addresses, and the first of them is where to connect. Throws HostNotAllowedError (also for a
 * host text resolvers could read in more than one way), or HostUnresolvedError when the name does not resolve.
 */
export async function checkSourceHost(host: string, policy: HostPolicy): Promise<CheckedHost> {
  const read = readHost(host);
  if ("address" in read) {
    const why = addressRefusal(read.address, policy);
    if (why) throw refusal(host, why);
    return { connectTo: formatAddress(read.address), servername: undefined };
  }
  const name = normalName(read.name);
  const listedExactly = policy.allowed?.names.includes(name) ?? false;
  if (METADATA_NAMES.includes(name) && !listedExactly) throw refusal(host, policy.allowed ? NOT_LISTED : RESERVED);
  if (policy.allowed && nameAllowed(name, policy.allowed.names)) return { connectTo: read.name, servername: undefined };
  let addresses: string[];
  try {
    addresses = await policy.resolve(read.name);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "ENOTFOUND";
    throw new HostUnresolvedError(code, `Cannot resolve the host name ${host} (${code}).`);
  }
  if (addresses.length === 0) throw new HostUnresolvedError("ENOTFOUND", `Cannot resolve the host name ${host}.`);
  const checked: Address[] = [];
  for (const address of addresses) {
    const parsed = parseAddress(address.replace(/%.*$/, ""));
    const why = parsed ? addressRefusal(parsed, policy) : "the resolver answered something that is not an address";
    if (why) throw refusal(host, why, address);
    checked.push(parsed!);
  }
  return { connectTo: formatAddress(checked[0]!), servername: read.name };
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

/**
 * postgres.js's `host` and `port` options that reach exactly the checked host. Given as a string, postgres.js
 * reads `host` as a list (`a,b`) of `host:port` pairs, so an IPv6 address (`fd00::1`) would become host `fd00`
 * and `::127.0.0.1` an empty host, which is localhost; given as arrays it takes each element as it is.
 */
export function exactHostOptions(host: string, port: number): { host: string; port: number } {
  return { host: [host], port: [port] } as unknown as { host: string; port: number };
}
