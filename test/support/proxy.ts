/**
 * A TCP proxy in front of a dependency, to take it away and give it back without touching the
 * dependency itself (the run's shared DynamoDB Local): `down()` closes the port (connection
 * refused) and cuts open connections, `hang()` accepts connections and never answers, `up()`
 * forwards again on the same port.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** http://127.0.0.1:<port>: the dependency's endpoint as the stack sees it. */
  url: string;
  up(): Promise<void>;
  down(): Promise<void>;
  hang(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  let mode: 'up' | 'hang' = 'up';
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const cutAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const newServer = (): Server =>
    createServer((client) => {
      track(client);
      if (mode === 'hang') {
        client.resume(); // read and drop: the request is received, never answered
        return;
      }
      const upstream = createConnection({ host: hostname, port: Number(targetPort) });
      track(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  let server: Server | undefined = newServer();
  const listen = (s: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.address() as { port: number }).port));
    });
  const port = await listen(server, 0);
  const stop = async () => {
    const s = server;
    server = undefined;
    cutAll();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    async up() {
      mode = 'up';
      cutAll();
      if (!server) {
        server = newServer();
        await listen(server, port);
      }
    },
    down: stop,
    async hang() {
      mode = 'hang';
      cutAll();
      if (!server) {
        server = newServer();
        await listen(server, port);
      }
    },
    close: stop,
  };
}
