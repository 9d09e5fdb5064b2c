// A TCP port that counts the connections made to it and closes each at once: where a test points a source
// whose host must never be connected to.
import { createServer } from "node:net";

export interface TrapServer {
  port: number;
  /** Connections made so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTrapServer(): Promise<TrapServer> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
