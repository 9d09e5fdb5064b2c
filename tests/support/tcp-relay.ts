// A TCP relay on a loopback address that forwards each connection to another loopback port and counts them:
// how a test reaches the test database (which listens on 127.0.0.1 only) over ::1.
import { connect, createServer } from "node:net";

export interface TcpRelay {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpRelay(listenHost: string, target: { host: string; port: number }): Promise<TcpRelay> {
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
