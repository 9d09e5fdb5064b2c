// A TCP port that counts the connections made to it and closes each at once: where a test points a source
// whose host must never be connected to. It listens on 127.0.0.1, and on ::1 at the same port when asked, so
// a host text that a driver or resolver turns into either loopback address is caught.
import { createServer, type Server } from "node:net";

export interface TrapServer {
  port: number;
  /** Connections made so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface TrapOptions {
  /** Also listen on ::1 at the same port. */
  ipv6?: boolean;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function startTrapServer(options: TrapOptions = {}): Promise<TrapServer> {
  let connections = 0;
  const trap = () =>
    createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
  for (let attempt = 1; ; attempt++) {
    const servers = [trap()];
    await listen(servers[0]!, 0, "127.0.0.1");
    const port = (servers[0]!.address() as { port: number }).port;
    try {
      if (options.ipv6) {
        servers.push(trap());
        await listen(servers[1]!, port, "::1");
      }
    } catch (error) {
      // The port is taken on ::1 by something else: take another pair.
      await Promise.all(servers.map(close));
      if (attempt === 5) throw error;
      continue;
    }
    return {
      port,
      connections: () => connections,
      close: async () => {
        await Promise.all(servers.map(close));
      },
    };
  }
}
