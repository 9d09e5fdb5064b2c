const colours: Record<string, string> = {
  postgres: "34",
  migrate: "35",
  gateway: "36",
  functions: "33",
  app: "32",
  test: "37",
};

/** One readable line per event, prefixed with the part of the stack it comes from. */
export function log(part: string, message: string): void {
  const colour = colours[part] ?? "37";
  const prefix = process.stdout.isTTY ? `\x1b[${colour}m${part.padEnd(9)}\x1b[0m` : part.padEnd(9);
  for (const line of message.split("\n")) console.log(`${prefix} ${line}`);
}
