/**
 * Partners that break HTTP itself, which msw (a well-behaved HTTP server underneath) cannot play: raw
 * `node:net` servers that write whatever bytes a case needs, plus the measuring helpers the catalogue
 * shares (elapsed time, peak RSS growth during a run).
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCli, type CliRun } from '../helpers/cli.js';

export interface RawPartner {
  origin: string;
  baseUrl: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * `onRequest` is called once per connection when the request head (up to the blank line) has arrived,
 * with the socket to write the answer on. Socket errors (the client hanging up) are ignored.
 */
export async function startRawPartner(
  onRequest: (socket: Socket, head: string) => void,
): Promise<RawPartner> {
  const sockets = new Set<Socket>();
  const partner: RawPartner = { origin: '', baseUrl: '', connections: 0, close: async () => undefined };
  const server = createServer((socket) => {
    partner.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        answered = true;
        onRequest(socket, head);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  partner.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  partner.baseUrl = `${partner.origin}/fhir`;
  partner.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return partner;
}

/** Writes `text` one character every `everyMs` until the socket closes. */
export function drip(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

/** Writes `chunk` forever as a chunked body, respecting backpressure, until the socket closes. */
export function endless(socket: Socket, chunk: Buffer): void {
  socket.write(
    'HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n',
  );
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  const pump = (): void => {
    while (!socket.destroyed && socket.write(frame));
  };
  socket.on('drain', pump);
  pump();
}

export const SECRET = 'hostile-Secret-4f0c9e27b1d84a6c';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface MeasuredRun extends CliRun {
  elapsedMs: number;
  /** Highest RSS minus RSS at the start, sampled every 20 ms during the run. */
  rssGrowthBytes: number;
}

/**
 * `fhir-certify run --only META` against `baseUrl`, with a client secret in the environment (never
 * needed by META, always scanned for), timed and with its RSS growth sampled.
 */
export async function certifyMeta(baseUrl: string, extra: string[] = []): Promise<MeasuredRun> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    const run = await runCli(
      [
        'run',
        '--base-url',
        baseUrl,
        '--allow-insecure-http',
        '--client-id',
        'app',
        '--tenant',
        TENANT,
        '--only',
        'META',
        // No progress lines: stderr must stay empty whatever the partner did.
        '--quiet',
        ...extra,
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
    );
    const elapsedMs = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss);
    return Object.assign(run, { elapsedMs, rssGrowthBytes: peak - rss0 });
  } finally {
    clearInterval(sampler);
  }
}
