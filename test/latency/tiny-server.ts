/** A bare node:http server on 127.0.0.1 that counts requests and the most it held at once. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TinyServer {
  origin: string;
  requests: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startTinyServer(
  answer: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<TinyServer> {
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const state: TinyServer = { origin: '', requests: 0, maxInFlight: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    state.requests += 1;
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    req.resume();
    req.on('end', () => answer(req, res, state.requests));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
