// The host policy for database sources: which hosts "test connection" and rule execution may connect to
// (DATABASE_SOURCE_ALLOWED_HOSTS, or by default anything but loopback, link-local, unspecified, cloud metadata
// and other reserved addresses), and the SSL mode they connect with. A host text resolvers could read in more
// than one way is refused; an allowed one is connected to as exactly the address that was checked. A refused
// host is never connected to.
import { createServer } from "node:net";
import process from "node:process";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkSourceHost,
  HostNotAllowedError,
  hostPolicy,
  type HostResolver,
  sourceConnection,
  sourcePolicyFromEnv,
  sslMode,
} from "../../supabase/functions/_shared/sources/policy.ts";
import { inspectPostgresTable } from "../../supabase/functions/_shared/sources/postgres.ts";
import { startTcpRelay } from "../support/tcp-relay.ts";
import { startTrapServer, type TrapServer } from "../support/trap-server.ts";

/** A resolver answering from a fixed table, counting the names it was asked for. */
function fakeResolver(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses;
  };
  return Object.assign(resolve, { asked });
}

async function refused(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error("the host was allowed");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostNotAllowedError);
  return (error as Error).message;
}

describe("the default host policy (DATABASE_SOURCE_ALLOWED_HOSTS unset)", () => {
  const resolver = fakeResolver({
    "db.bank.example": ["10.1.2.3"],
    "metadata.trap.example": ["10.1.2.3", "169.254.169.254"],
    "loop.trap.example": ["::1"],
    "mapped.trap.example": ["::ffff:127.0.0.1"],
  });
  const policy = hostPolicy(undefined, resolver);

  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",
    "169.254.0.1",
    "0.0.0.0",
    "::1",
    "[::1]",
    "::",
    "fe80::1",
    "febf::1",
    "0:0:0:0:0:0:0:1",
    "0.1.2.3",
    "0.255.255.255",
    "100.100.100.200",
    "168.63.129.16",
    "192.0.0.192",
    "224.0.0.1",
    "255.255.255.255",
    "fd00:ec2::254",
    "FD00:EC2:0:0:0:0:0:254",
    "[fd00:ec2::254]",
    "ff02::1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::a9fe:a9fe",
    "2002:7f00:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
  ])("refuses %s", async (host) => {
    expect(await refused(checkSourceHost(host, policy))).toMatch(
      /loopback, link-local, unspecified, cloud metadata and other reserved addresses are refused/,
    );
  });

  it.each(["metadata.google.internal", "Metadata.Google.Internal.", "metadata", "instance-data"])(
    "refuses the metadata service name %s without resolving it",
    async (host) => {
      await refused(checkSourceHost(host, policy));
      expect(resolver.asked).not.toContain(host);
    },
  );

  it.each(["10.0.0.5", "172.16.4.4", "192.168.1.20", "203.0.113.7", "2001:db8::5", "fd00::1", "fec0::1", "128.0.0.1"])(
    "allows %s, connecting to it as given",
    async (host) => {
      expect(await checkSourceHost(host, policy)).toEqual({ connectTo: host, servername: undefined });
    },
  );

  it.each([
    ["FD00::1", "fd00::1"],
    ["[fd00::1]", "fd00::1"],
    ["2001:DB8:0:0:0:0:0:5", "2001:db8::5"],
    ["2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"],
    ["fd00:0:0:1:0:0:0:1", "fd00:0:0:1::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["fd12:3456:789a:1:2:3:4:5", "fd12:3456:789a:1:2:3:4:5"],
  ])("connects to %s as its one standard text %s", async (host, text) => {
    expect((await checkSourceHost(host, policy)).connectTo).toBe(text);
  });

  it("allows a name resolving to allowed addresses and connects to the checked address", async () => {
    expect(await checkSourceHost("db.bank.example", policy)).toEqual({
      connectTo: "10.1.2.3",
      servername: "db.bank.example",
    });
  });

  it("refuses a name if any of its addresses is refused", async () => {
    expect(await refused(checkSourceHost("metadata.trap.example", policy))).toMatch(
      /metadata\.trap\.example \(it resolves to 169\.254\.169\.254\)/,
    );
    await refused(checkSourceHost("loop.trap.example", policy));
    await refused(checkSourceHost("mapped.trap.example", policy));
  });

  it("reports a name that does not resolve", async () => {
    await expect(checkSourceHost("nowhere.example", policy)).rejects.toMatchObject({
      name: "HostUnresolvedError",
      code: "ENOTFOUND",
    });
  });

  it("refuses localhost through the system resolver", async () => {
    await refused(checkSourceHost("localhost", hostPolicy("")));
  });
});

describe("host texts a resolver or the driver could read in another way", () => {
  // Under the default policy and under a list allowing every address: none of these is an address in its
  // standard form, a host name, or an IPv6 address that does not stand for an IPv4 one.
  const everything = hostPolicy("0.0.0.0/0,::/0");
  const resolver = fakeResolver({ "mapped.example": ["::ffff:10.1.2.3"] });
  const policies = [hostPolicy(undefined, resolver), { ...everything, resolve: resolver }];

  it.each([
    "010.0.0.1",
    "0177.0.0.1",
    "127.000.000.001",
    "0x7f.0.0.1",
    "0x7f000001",
    "2130706433",
    "127.1",
    "10.1",
    "127.0.0.1.",
    "1.2.3.4.5",
    "256.0.0.1",
    " 10.0.0.1 junk",
    "::127.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:0:8.8.8.8",
    "64:ff9b::10.0.0.1",
    "[::ffff:127.0.0.1]",
    "fe80::abcd:1%eth0",
    "fd00::1%1",
    "[::1]:5432",
    "10.0.0.1:5432",
    "db.bank.example:5432",
    "db1.bank.example,127.0.0.1",
    "/var/run/postgresql",
    "db bank.example",
    "-db.example",
    "db..example",
    ":::1",
    "1::2::3",
  ])("refuses %j", async (host) => {
    for (const policy of policies) {
      expect(await refused(checkSourceHost(host, policy))).toMatch(/neither an IP address in standard form/);
    }
    expect(resolver.asked).toEqual([]);
  });

  it.each([
    "::2",
    "::abcd",
    "::7f00:1",
    "::ffff:7f00:1",
    "::ffff:0:808:808",
    "::ffff:0:7f00:1",
    "0:0:0:0:0:ffff:a9fe:a9fe",
  ])("refuses %s, which stands for an IPv4 address, even when every address is listed", async (host) => {
    for (const policy of policies) {
      expect(await refused(checkSourceHost(host, policy))).toMatch(/standing for an IPv4 address/);
    }
  });

  it("refuses a name that resolves to an IPv4-mapped address", async () => {
    for (const policy of policies) {
      expect(await refused(checkSourceHost("mapped.example", policy))).toMatch(
        /resolves to ::ffff:10\.1\.2\.3\): it is an IPv6 address standing for an IPv4 address/,
      );
    }
  });

  it("still allows :: and ::1 when they are listed", async () => {
    const listed = hostPolicy("::1,::");
    expect((await checkSourceHost("::1", listed)).connectTo).toBe("::1");
    expect((await checkSourceHost("0:0::0", listed)).connectTo).toBe("::");
  });

  it("refuses an ambiguous entry in DATABASE_SOURCE_ALLOWED_HOSTS", () => {
    expect(() => hostPolicy("010.0.0.0/8")).toThrow(/"010\.0\.0\.0\/8"/);
    expect(() => hostPolicy("127.1")).toThrow(/DATABASE_SOURCE_ALLOWED_HOSTS/);
  });
});

describe("an allowed-hosts list", () => {
  const resolver = fakeResolver({
    "db1.bank.example": ["10.20.0.7"],
    "db2.bank.example": ["10.20.0.8", "10.30.0.1"],
    "v6.bank.example": ["fd12:3456::10"],
    "rebind.example": ["10.20.0.9"],
    "dwh.bank.example.evil.example": ["203.0.113.9"],
  });
  const policy = hostPolicy(
    " 10.20.0.0/16, fd12:3456::/32 ,reports.bank.example,*.dwh.bank.example, 127.0.0.1,localhost ",
    resolver,
  );

  it("allows addresses in its IPv4 and IPv6 ranges and single addresses", async () => {
    expect(await checkSourceHost("10.20.255.1", policy)).toEqual({ connectTo: "10.20.255.1", servername: undefined });
    expect((await checkSourceHost("fd12:3456:ffff::1", policy)).connectTo).toBe("fd12:3456:ffff::1");
    expect((await checkSourceHost("127.0.0.1", policy)).connectTo).toBe("127.0.0.1");
  });

  it("refuses addresses outside it, private or not", async () => {
    for (const host of ["10.21.0.1", "192.168.1.1", "fd12:3457::1", "127.0.0.2", "169.254.169.254", "::1"]) {
      expect(await refused(checkSourceHost(host, policy))).toMatch(/not among the hosts this deployment allows/);
    }
  });

  it("allows listed names by name, without resolving them", async () => {
    expect(await checkSourceHost("reports.bank.example", policy)).toEqual({
      connectTo: "reports.bank.example",
      servername: undefined,
    });
    expect((await checkSourceHost("Mart.DWH.bank.example.", policy)).connectTo).toBe("Mart.DWH.bank.example.");
    expect((await checkSourceHost("localhost", policy)).connectTo).toBe("localhost");
    expect(resolver.asked).toEqual([]);
  });

  it("allows other names only if every address they resolve to is listed", async () => {
    expect(await checkSourceHost("db1.bank.example", policy)).toEqual({
      connectTo: "10.20.0.7",
      servername: "db1.bank.example",
    });
    expect((await checkSourceHost("v6.bank.example", policy)).connectTo).toBe("fd12:3456::10");
    expect(await refused(checkSourceHost("db2.bank.example", policy))).toMatch(/resolves to 10\.30\.0\.1/);
    await refused(checkSourceHost("dwh.bank.example.evil.example", policy));
  });

  it("connects to the address it checked, so a name cannot change its answer between check and connection", async () => {
    const answers = [["10.20.0.9"], ["169.254.169.254"]];
    const rebinding: HostResolver = async () => answers.shift()!;
    const target = await sourceConnection("rebind.example", {
      hosts: hostPolicy("10.20.0.0/16", rebinding),
      ssl: "verify-full",
    });
    expect(target).toEqual({ host: "10.20.0.9", ssl: { servername: "rebind.example" } });
  });

  it("refuses an entry that is neither a name nor a range", () => {
    expect(() => hostPolicy("10.0.0.0/33")).toThrow(/DATABASE_SOURCE_ALLOWED_HOSTS/);
    expect(() => hostPolicy("db.example, http://x")).toThrow(/"http:\/\/x"/);
  });
});

describe("the SSL mode", () => {
  it("is prefer by default, or require or verify-full", () => {
    expect(sslMode(undefined)).toBe("prefer");
    expect(sslMode("require")).toBe("require");
    expect(sslMode("verify-full")).toBe("verify-full");
    expect(() => sslMode("disable")).toThrow(/DATABASE_SOURCE_SSL/);
    expect(sourcePolicyFromEnv({ DATABASE_SOURCE_SSL: "require" }).ssl).toBe("require");
  });

  it("is passed to the connection, with the source's host name for certificate checks and SNI", async () => {
    const resolve = fakeResolver({ "db.bank.example": ["10.1.2.3"] });
    const hosts = hostPolicy(undefined, resolve);
    expect(await sourceConnection("db.bank.example", { hosts, ssl: "require" })).toEqual({
      host: "10.1.2.3",
      ssl: { servername: "db.bank.example", rejectUnauthorized: false },
    });
    expect(await sourceConnection("db.bank.example", { hosts, ssl: "prefer" })).toEqual({
      host: "10.1.2.3",
      ssl: "prefer",
    });
    expect(await sourceConnection("10.1.2.3", { hosts, ssl: "verify-full" })).toEqual({
      host: "10.1.2.3",
      ssl: "verify-full",
    });
  });
});

describe("test connection under the default policy", () => {
  let trap: TrapServer;

  beforeAll(async () => {
    trap = await startTrapServer({ ipv6: true });
  });

  afterAll(() => trap.close());

  const source = (host: string, sourcePort: number) => ({
    host,
    port: sourcePort,
    database: "postgres",
    table: "t",
    user: "u",
    password: "secret",
    connectTimeoutSeconds: 2,
  });
  const policy = { hosts: hostPolicy(undefined), ssl: "prefer" as const };

  it("refuses the cloud metadata address without connecting", async () => {
    const started = Date.now();
    await expect(inspectPostgresTable(source("169.254.169.254", 80), policy)).rejects.toMatchObject({
      code: "host_not_allowed",
      message: expect.stringMatching(/may not connect to 169\.254\.169\.254/),
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each(["::127.0.0.1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::7f00:1", "::2", "0177.0.0.1", "[::1]:1", "127.1"])(
    "refuses %s without connecting to the loopback trap, even when every address is listed",
    async (host) => {
      const everything = { hosts: hostPolicy("0.0.0.0/0,::/0"), ssl: "prefer" as const };
      for (const policyToUse of [policy, everything]) {
        const error = await inspectPostgresTable(source(host, trap.port), policyToUse).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "host_not_allowed" });
      }
      expect(trap.connections()).toBe(0);
    },
  );

  it("refuses a loopback port, so it cannot be probed", async () => {
    for (const host of ["127.0.0.1", "localhost"]) {
      const error = await inspectPostgresTable(source(host, trap.port), policy).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "host_not_allowed" });
      expect(JSON.stringify(error)).not.toContain("secret");
    }
    expect(trap.connections()).toBe(0);
  });

  it("connects when the policy lists the host (and the answer is then about the connection)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const allowed = { hosts: hostPolicy("127.0.0.1"), ssl: "prefer" as const };
    await expect(inspectPostgresTable(source("127.0.0.1", closedPort), allowed)).rejects.toMatchObject({
      code: "unreachable",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("connects to an IPv6 source on ::1 when the policy lists it, through the address it checked", async () => {
    const db = new URL(process.env.SUPABASE_DB_URL!);
    const relay = await startTcpRelay("::1", { host: db.hostname, port: Number(db.port) });
    const admin = postgres(process.env.SUPABASE_DB_URL!, { max: 1, onnotice: () => undefined });
    const table = `ipv6_source_${process.pid}`;
    try {
      await admin.unsafe(`create table public.${table} as select g as n from generate_series(1, 3) g`);
      const listed = { hosts: hostPolicy("::1"), ssl: "prefer" as const };
      for (const host of ["::1", "[::1]", "0:0:0:0:0:0:0:1"]) {
        const schema = await inspectPostgresTable(
          {
            host,
            port: relay.port,
            database: db.pathname.slice(1),
            table,
            user: decodeURIComponent(db.username),
            password: decodeURIComponent(db.password),
          },
          listed,
        );
        expect(schema).toMatchObject({ table, rowCount: 3, columns: [expect.objectContaining({ name: "n" })] });
      }
      expect(relay.connections()).toBe(3);
    } finally {
      await admin.unsafe(`drop table if exists public.${table}`);
      await admin.end();
      await relay.close();
    }
  });
});
