// Runs one edge function under Deno the way Supabase's edge runtime does: the function calls
// Deno.serve(handler) and receives requests whose path starts with /<function-name>. Here the
// listener is pinned to the loopback port the devstack gave this function.
const port = Number(Deno.env.get("FUNCTION_PORT"));
const entry = Deno.args[0];
if (!port || !entry) throw new Error("usage: serve-function.ts <index.ts> with FUNCTION_PORT set");

const originalServe = Deno.serve.bind(Deno);
(Deno as unknown as { serve: (first: unknown, second?: unknown) => Deno.HttpServer }).serve = (
  first: unknown,
  second?: unknown,
) => {
  const handler = (
    typeof first === "function" ? first : (second ?? (first as { handler: unknown }).handler)
  ) as Deno.ServeHandler;
  return originalServe({ port, hostname: "127.0.0.1", onListen: () => {} }, handler);
};

await import(new URL(`file://${entry}`).href);
