import process from "node:process";

/** Reads a required environment variable (Deno and Node alike), failing with its name. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
