/** A variable of the stack's environment (the env file `npm run devstack -- up` writes, or `npm test`'s). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start a stack and source its env file first`);
  return value;
}
