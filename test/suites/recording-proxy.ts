/**
 * A loopback HTTP proxy in front of the reference partner that records, on the partner's side of the
 * wire, every request's bearer token and the status it got, and every token the token endpoint issued.
 * Origins in answers are rewritten to the proxy's, so the token URL in the capability statement (and
 * every link) leads back through it.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorded {
  /** Wall-clock ms when the request reached the proxy. */
  at: number;
  method: string;
  path: string;
  bearer?: string;
  status: number;
}

export interface RecordingProxy {
  origin: string;
  requests: Recorded[];
  /** access_token values of every successful token answer. */
  issued: string[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: Recorded[] = [];
  const issued: string[] = [];
  const sockets = new Set<Socket>();
  let origin = '';
  const server = createServer((req, res) => void forward(req, res).catch(() => res.destroy()));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const auth = req.headers.authorization;
    const bearer = auth && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
    const url = new URL(req.url ?? '/', target);
    const headers = { ...req.headers, host: url.host };
    const answer = await new Promise<{ status: number; headers: Record<string, string>; body: string }>(
      (resolve, reject) => {
        const out = request(url, { method: req.method, headers }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) flat[k] = String(v);
            resolve({
              status: r.statusCode ?? 0,
              headers: flat,
              body: Buffer.concat(parts).toString('utf8'),
            });
          });
          r.on('error', reject);
        });
        out.on('error', reject);
        out.end(Buffer.concat(chunks));
      },
    );
    requests.push({
      at,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      ...(bearer ? { bearer } : {}),
      status: answer.status,
    });
    if (url.pathname.endsWith('/oauth/token') && answer.status === 200) {
      const token = (JSON.parse(answer.body) as { access_token?: string }).access_token;
      if (token) issued.push(token);
    }
    const body = answer.body.split(target).join(origin);
    delete answer.headers['content-length'];
    delete answer.headers['transfer-encoding'];
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
