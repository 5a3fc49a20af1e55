/**
 * Partners that send the worst a run's bounds still admit, for bench/memory.bench.ts. Each is a
 * node:http server on loopback with a working token endpoint and a capability statement, so the run
 * gets past META and AUTH and reaches every data suite; what differs is what the data answers hold:
 *
 * - `entries`: searchset Bundles of 100 000 Patients (just under 20 MiB), each with a fresh `next` link;
 * - `nesting`: Bundles whose Patient carries 1 000 000 levels of nested arrays;
 * - `links`: Bundles with 10 000 distinct `next` links (about 20 MiB of links);
 * - `big`: every answer, the capability statement and tokens included, padded to just under 20 MiB.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capabilityStatement } from '../src/reference-partner/capability.js';
import { NO_FAULTS } from '../src/reference-partner/faults/index.js';

export type HostileMode = 'entries' | 'nesting' | 'links' | 'big';
export const hostileModes: readonly HostileMode[] = ['entries', 'nesting', 'links', 'big'];

export const CLIENT_ID = 'memory-bench-client';
export const CLIENT_SECRET = 'memory-bench-secret-7c1f9e2a';
export const TENANTS = ['72f988bf-86f1-41af-91ab-2d7cd011db47', '0b6f5a7e-5c1e-4c2b-9f57-1d2a3b4c5d6e'];

/** Under the default --max-response-bytes (20 MiB), so the whole body is read and judged. */
const NEAR_CAP = (20 << 20) - 64 * 1024;
const FHIR_JSON = { 'content-type': 'application/fhir+json; fhirVersion=3.0' };

export interface HostilePartner {
  baseUrl: string;
  requests(): number;
  close(): Promise<void>;
}

function patient(i: number): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: `p${i}`,
    identifier: [{ system: 'urn:mrn', value: `m${i}` }],
    name: [{ family: 'Doe', given: ['Jo'] }],
    gender: 'female',
    birthDate: '1970-01-01',
  };
}

/** `{…, "pad": "xxx…"}` grown to about `bytes`: a legal extra element a reader must still carry. */
function padded(doc: Record<string, unknown>, bytes: number): Buffer {
  const text = JSON.stringify(doc);
  return Buffer.from(`${text.slice(0, -1)},"_pad":"${'x'.repeat(Math.max(0, bytes - text.length - 12))}"}`);
}

/** One Bundle body of `entries` mode: the 100 000 entries are built once, the next link per page. */
function entriesBody(): (nextUrl: string) => Buffer {
  const entries = Buffer.from(
    JSON.stringify(
      Array.from({ length: 100_000 }, (_, i) => ({
        fullUrl: `urn:uuid:p${i}`,
        resource: { resourceType: 'Patient', id: `p${i}`, gender: 'female', birthDate: '1970-01-01' },
        search: { mode: 'match' },
      })),
    ).slice(1, -1),
  );
  const first = Buffer.from(JSON.stringify({ resource: patient(0), search: { mode: 'match' } }));
  return (nextUrl) =>
    Buffer.concat([
      Buffer.from(
        `{"resourceType":"Bundle","type":"searchset","total":100001,"link":[{"relation":"next","url":${JSON.stringify(nextUrl)}}],"entry":[`,
      ),
      first,
      Buffer.from(','),
      entries,
      Buffer.from(']}'),
    ]);
}

function nestingBody(): Buffer {
  const depth = 1_000_000;
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: 1,
    entry: [{ resource: { ...patient(0), extension: '@DEEP@' }, search: { mode: 'match' } }],
  };
  return Buffer.from(JSON.stringify(bundle).replace('"@DEEP@"', '['.repeat(depth) + ']'.repeat(depth)));
}

function linksBody(origin: string, page: number): Buffer {
  const link = Array.from({ length: 10_000 }, (_, i) => ({
    relation: 'next',
    url: `${origin}/fhir/Patient?page=${page + 1}&alt=${i}&${'q'.repeat(1900)}`,
  }));
  return Buffer.from(
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link,
      entry: [{ resource: patient(0), search: { mode: 'match' } }],
    }),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHostilePartner(mode: HostileMode): Promise<HostilePartner> {
  let origin = '';
  let count = 0;
  let page = 0;
  const entries = mode === 'entries' ? entriesBody() : undefined;
  const nesting = mode === 'nesting' ? nestingBody() : undefined;
  const big = (doc: Record<string, unknown>): Buffer =>
    mode === 'big' ? padded(doc, NEAR_CAP) : Buffer.from(JSON.stringify(doc));
  const send = (res: ServerResponse, status: number, body: Buffer, headers = FHIR_JSON): void => {
    res.writeHead(status, { ...headers, 'content-length': body.length }).end(body);
  };

  const data = (req: IncomingMessage, res: ServerResponse): void => {
    page += 1;
    const url = new URL(req.url ?? '/', origin);
    if (entries) return send(res, 200, entries(`${origin}/fhir/Patient?page=${page}`));
    if (nesting) return send(res, 200, nesting);
    if (mode === 'links') return send(res, 200, linksBody(origin, page));
    // `big`: a read gets a Patient, anything else a one-entry searchset, each padded.
    const read = /\/fhir\/Patient\/[^/?]+$/.test(url.pathname);
    return send(
      res,
      200,
      big(
        read
          ? patient(0)
          : {
              resourceType: 'Bundle',
              type: 'searchset',
              total: 1,
              entry: [{ resource: patient(0), search: { mode: 'match' } }],
            },
      ),
    );
  };

  const server = createServer((req, res) => {
    count += 1;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/fhir/metadata') {
      const cap = capabilityStatement(
        'stu3',
        `${origin}/oauth/token`,
        `${origin}/oauth/authorize`,
        NO_FAULTS,
      );
      return send(res, 200, big(cap));
    }
    if (path === '/oauth/token') {
      void readBody(req).then((text) => {
        const form = new URLSearchParams(text);
        const json = { 'content-type': 'application/json', 'cache-control': 'no-store' };
        const tenant = form.get('scope') ?? '';
        if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
          return send(res, 401, Buffer.from('{"error":"invalid_client"}'), json);
        }
        if (form.get('grant_type') !== 'client_credentials') {
          return send(res, 400, Buffer.from('{"error":"unsupported_grant_type"}'), json);
        }
        if (!TENANTS.includes(tenant)) return send(res, 400, Buffer.from('{"error":"invalid_scope"}'), json);
        const token = {
          access_token: `tok-${tenant}`,
          token_type: 'Bearer',
          expires_in: 3600,
          scope: tenant,
        };
        return send(res, 200, big(token), json);
      });
      return;
    }
    if (!path.startsWith('/fhir/')) return send(res, 404, Buffer.from('{}'));
    const auth = req.headers.authorization ?? '';
    if (!TENANTS.some((t) => auth === `Bearer tok-${t}`)) {
      req.resume();
      return send(res, 401, Buffer.from('{"resourceType":"OperationOutcome","issue":[]}'));
    }
    req.resume();
    data(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/fhir`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
