// Generator version 2 of sample selection (regtest-sampling/2 hashtextextended, docs/decisions/030) outside the
// database, so that an examiner can re-perform a draw without PostgreSQL: a row's rank is PostgreSQL's
// hashtextextended(key, seed64), which is hash_bytes_extended (Bob Jenkins' lookup3 with a 64-bit seed and a 64-bit
// result) over the key's UTF-8 bytes, read in little-endian 4-byte words as on x86-64 and ARM64 servers; seed64 is
// the first 16 hex digits of md5(seed) as a signed 64-bit integer. Ranks order as signed integers, ties by the key's
// bytes.
import { createHash } from "node:crypto";

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

function mix(s: Uint32Array): void {
  let [a, b, c] = [s[0]!, s[1]!, s[2]!];
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
}

function final(s: Uint32Array): void {
  let [a, b, c] = [s[0]!, s[1]!, s[2]!];
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
}

/** PostgreSQL's hash_bytes_extended on a little-endian machine, as a signed 64-bit integer. */
export function hashBytesExtended(bytes: Uint8Array, seed: bigint): bigint {
  const word = (i: number) => (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
  const s = new Uint32Array(3);
  const initial = (0x9e3779b9 + bytes.length + 3923095) >>> 0;
  s.fill(initial);
  const unsignedSeed = BigInt.asUintN(64, seed);
  if (unsignedSeed !== 0n) {
    s[0] = (s[0]! + Number(unsignedSeed >> 32n)) >>> 0;
    s[1] = (s[1]! + Number(unsignedSeed & 0xffffffffn)) >>> 0;
    mix(s);
  }
  let i = 0;
  let len = bytes.length;
  while (len >= 12) {
    s[0] = (s[0]! + word(i)) >>> 0;
    s[1] = (s[1]! + word(i + 4)) >>> 0;
    s[2] = (s[2]! + word(i + 8)) >>> 0;
    mix(s);
    i += 12;
    len -= 12;
  }
  const k = (j: number) => bytes[i + j]!;
  // The last 0 to 11 bytes; the lowest byte of c is left for the length (already in the initial state).
  if (len >= 9) {
    if (len >= 11) s[2] = (s[2]! + (k(10) << 24)) >>> 0;
    if (len >= 10) s[2] = (s[2]! + (k(9) << 16)) >>> 0;
    s[2] = (s[2]! + (k(8) << 8)) >>> 0;
  }
  if (len >= 8) {
    s[1] = (s[1]! + word(i + 4)) >>> 0;
    s[0] = (s[0]! + word(i)) >>> 0;
  } else if (len >= 4) {
    if (len >= 7) s[1] = (s[1]! + (k(6) << 16)) >>> 0;
    if (len >= 6) s[1] = (s[1]! + (k(5) << 8)) >>> 0;
    if (len >= 5) s[1] = (s[1]! + k(4)) >>> 0;
    s[0] = (s[0]! + word(i)) >>> 0;
  } else {
    if (len >= 3) s[0] = (s[0]! + (k(2) << 16)) >>> 0;
    if (len >= 2) s[0] = (s[0]! + (k(1) << 8)) >>> 0;
    if (len >= 1) s[0] = (s[0]! + k(0)) >>> 0;
  }
  final(s);
  return BigInt.asIntN(64, (BigInt(s[1]!) << 32n) | BigInt(s[2]!));
}

/** seed64: the first 16 hex digits of md5(seed), as a signed 64-bit integer. */
export function seed64(seed: string): bigint {
  return BigInt.asIntN(64, BigInt("0x" + createHash("md5").update(seed, "utf8").digest("hex").slice(0, 16)));
}

/** A row's rank under generator version 2. */
export function rank(key: string, seed: string): bigint {
  return hashBytesExtended(new TextEncoder().encode(key), seed64(seed));
}

function byteCompare(x: string, y: string): number {
  const [a, b] = [new TextEncoder().encode(x), new TextEncoder().encode(y)];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Simple random sampling under version 2: the n keys of smallest rank, ties by the key's bytes, in draw order. */
export function simpleRandom(keys: readonly string[], n: number, seed: string): string[] {
  return keys
    .map((key) => ({ key, r: rank(key, seed) }))
    .sort((x, y) => (x.r < y.r ? -1 : x.r > y.r ? 1 : byteCompare(x.key, y.key)))
    .slice(0, n)
    .map((x) => x.key);
}

/** The snapshot's key hash under version 2: the exact sum of the ranks, as text. */
export function keyHash(keys: readonly string[], seed: string): string {
  return keys.reduce((sum, key) => sum + rank(key, seed), 0n).toString();
}

/**
 * The snapshot's key hash under snapshot version 2 (regtest-snapshot/2 kept statistics, docs/decisions/036): the
 * exact sum over rows of hashtextextended(key, 0), which does not depend on the seed, as text.
 */
export function keyFingerprint(keys: readonly string[]): string {
  return keys.reduce((sum, key) => sum + hashBytesExtended(new TextEncoder().encode(key), 0n), 0n).toString();
}
