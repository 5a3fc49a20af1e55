/**
 * Reference partner speed over loopback with 1000 patients per tenant: read by id and the app's
 * searches, many iterations on one undici keep-alive connection. Prints the median and p95 of the
 * client-observed time and of the server's own Server-Timing. Target: median under 2 ms.
 *   node --import tsx bench/reference.bench.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { startReferencePartner } from '../src/reference-partner/index.js';

const iterations = Number(process.argv[2] ?? 2000);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const started = performance.now();
const partner = await startReferencePartner({ patientsPerTenant: 1000 });
console.log(`started with 2 × 1000 patients in ${(performance.now() - started).toFixed(0)} ms`);
const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  const t0 = performance.now();
  const res = await request(url, {
    dispatcher: agent,
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
  });
  const text = await res.body.text();
  const client = performance.now() - t0;
  const server = Number(/dur=([0-9.]+)/.exec(String(res.headers['server-timing']))?.[1]);
  return { status: res.statusCode, text, client, server };
}

const tok = await call(partner.tokenUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: partner.clientId,
    client_secret: partner.clientSecret,
    scope: partner.tenants[0],
  }).toString(),
});
const auth = { authorization: `Bearer ${(JSON.parse(tok.text) as { access_token: string }).access_token}` };

const rows: Array<[string, string, string, number, number, number, number]> = [];
for (const version of ['dstu2', 'stu3'] as const) {
  const base = partner.baseUrl(version);
  const probe = JSON.parse((await call(`${base}/Patient?_count=1&_offset=500`, { headers: auth })).text) as {
    entry: Array<{
      resource: {
        id: string;
        birthDate: string;
        identifier: Array<{ value: string }>;
        name: Array<{ family: string | string[] }>;
      };
    }>;
  };
  const patient = probe.entry[0]!.resource;
  const family = ([] as string[]).concat(patient.name[0]!.family)[0]!;
  const sort = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
  const cases: Array<[string, string]> = [
    ['metadata', `${base}/metadata`],
    ['read Patient', `${base}/Patient/${patient.id}`],
    ['search _id', `${base}/Patient?_id=${patient.id}`],
    [
      'search family',
      `${base}/Patient?family${version === 'dstu2' ? ':contains' : ''}=${encodeURIComponent(family.slice(0, 3))}&_count=50`,
    ],
    ['search birthdate', `${base}/Patient?birthdate=${patient.birthDate}`],
    ['search identifier', `${base}/Patient?identifier=${patient.identifier[0]!.value}`],
    ['vital signs', `${base}/Observation?patient=${patient.id}&category=vital-signs&${sort}`],
    ['latest encounter', `${base}/Encounter?patient=${patient.id}&${sort}&_count=1`],
  ];
  for (const [name, url] of cases) {
    for (let i = 0; i < 200; i++) await call(url, { headers: auth });
    const client: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const r = await call(url, { headers: auth });
      if (r.status !== 200) throw new Error(`${name}: ${r.status}`);
      client.push(r.client);
      server.push(r.server);
    }
    client.sort((a, b) => a - b);
    server.sort((a, b) => a - b);
    rows.push([version, name, '', pct(client, 50), pct(client, 95), pct(server, 50), pct(server, 95)]);
  }
}
await agent.close();
await partner.close();

console.log(`\n${iterations} iterations per row, one keep-alive connection, times in ms`);
console.log('version  interaction         client p50  client p95  server p50  server p95');
for (const [version, name, , c50, c95, s50, s95] of rows) {
  console.log(
    `${version.padEnd(8)} ${name.padEnd(19)} ${c50.toFixed(3).padStart(10)} ${c95.toFixed(3).padStart(11)} ${s50.toFixed(3).padStart(11)} ${s95.toFixed(3).padStart(11)}`,
  );
}
const worst = Math.max(...rows.map((r) => r[3]));
console.log(
  `\nworst client median ${worst.toFixed(3)} ms (target < 2 ms): ${worst < 2 ? 'OK' : 'OVER TARGET'}`,
);
