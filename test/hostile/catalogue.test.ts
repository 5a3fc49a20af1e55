/**
 * The hostile-partner catalogue: what a partner can send that is broken or malicious, and what the
 * harness must do about it. Each case names the row it must fail, the message that says why (with
 * evidence attached), and the bound the run must respect: it exits 1 (not 3, the harness crashing),
 * within its time bound, with memory bounded, and no secret in any output.
 *
 * Bounds are generous (a 2-core shared machine), but each is far below what the failure it guards
 * against would take: an unbounded run would never end, an inflated bomb would take 256 MB.
 */
import { createGzip, deflateSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { rowsOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { startMswPartner } from '../helpers/msw-partner.js';
import { SECRET, certifyMeta, drip, endless, startRawPartner, type MeasuredRun } from './partners.js';

interface Closable {
  baseUrl: string;
  close(): Promise<void>;
}
const open: Closable[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});
async function track<T extends Closable>(partner: Promise<T>): Promise<T> {
  const p = await partner;
  open.push(p);
  return p;
}

const MB = 1024 * 1024;
const STU3 = fhirMediaType.stu3;
const capabilityText = JSON.stringify(conformantCapability('stu3'));

/** A metadata handler answering `body` with `headers`. */
function metadata(body: ConstructorParameters<typeof HttpResponse>[0], init: ResponseInit = {}) {
  return startMswPartner([
    http.get('*/fhir/metadata', () => new HttpResponse(body, { status: 200, ...init })),
  ]);
}

/** A raw partner answering every request with these exact bytes, then closing. */
function rawAnswer(bytes: string | Buffer) {
  return startRawPartner((socket) => socket.end(bytes));
}

function head(status: string, headers: Record<string, string | number>): string {
  return `${status}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

/** The asserts every case shares: exit 1, the named row failed with a reason and evidence, no secret. */
function expectFailedRow(run: MeasuredRun, requirement: string, why: RegExp, status = 'fail') {
  expect(run.stderr).toBe('');
  expect(run.report, 'a report is written whatever the partner did').toBeDefined();
  const row = rowsOf(run.report, requirement)[0]!;
  expect(row.status, row.message).toBe(status);
  expect(row.message).toMatch(why);
  expect(row.evidence.length, 'the failed row carries its evidence').toBeGreaterThan(0);
  expect(run.everything()).not.toContain(SECRET);
  expectContract(run.report!);
  return row;
}

// The gzip bomb: 256 MB of zeros compressed to about 250 kB. Inflated, it would dwarf the RSS bound.
const BOMB_INFLATED = 256 * MB;
let gzipBomb: Buffer;
beforeAll(async () => {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((r) => gzip.on('end', r));
  const zeros = Buffer.alloc(MB, 0x20);
  for (let i = 0; i < BOMB_INFLATED / MB; i++) {
    if (!gzip.write(zeros)) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  gzipBomb = Buffer.concat(parts);
});

describe('hostile partners: broken bodies (META-01 fails, run exits 1)', () => {
  it('truncated JSON', async () => {
    const p = await track(metadata(capabilityText.slice(0, 300), { headers: { 'content-type': STU3 } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /answered 200 but the body is not valid JSON/);
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it('an HTML error page with 200', async () => {
    const html =
      '<!DOCTYPE html><html><body><h1>Service Unavailable</h1><pre>at Foo.Bar()</pre></body></html>';
    const p = await track(metadata(html, { headers: { 'content-type': 'text/html' } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /not valid JSON \(it looks like HTML or XML\)/);
    expect(row.evidence[0]!.response!.headers['content-type']).toBe('text/html');
  });

  it('the wrong Content-Type: XML served for a JSON request', async () => {
    const xml = '<?xml version="1.0"?><CapabilityStatement xmlns="http://hl7.org/fhir"/>';
    const p = await track(metadata(xml, { headers: { 'content-type': 'application/fhir+xml' } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /looks like HTML or XML/);
  });

  it('no Content-Type on a good capability statement: META-10 warns (recommended), the run still passes', async () => {
    // The one case that exits 0: META-10 is recommended, and the JSON itself is conformant.
    const p = await track(
      rawAnswer(head('HTTP/1.1 200 OK', { 'content-length': capabilityText.length }) + capabilityText),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(0);
    expectFailedRow(run, 'META-10', /metadata was served as no Content-Type/, 'warn');
  });

  it('a wrong Content-Type (text/plain) on a good capability statement: META-10 warns', async () => {
    const p = await track(metadata(capabilityText, { headers: { 'content-type': 'text/plain' } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(0);
    expectFailedRow(run, 'META-10', /metadata was served as text\/plain, not a JSON media type/, 'warn');
  });

  it('invalid UTF-8 inside otherwise valid JSON', async () => {
    const good = Buffer.from(
      capabilityText.replace('"status":"active"', '"status":"active","publisher":"ACME X"'),
    );
    const at = good.indexOf('ACME X') + 5;
    good[at] = 0xff; // never valid in UTF-8
    const p = await track(metadata(good, { headers: { 'content-type': STU3 } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(
      run,
      'META-01',
      new RegExp(`not valid UTF-8 \\(first bad byte 0xff near byte offset ${at}\\)`),
    );
  });

  it('duplicate keys: the last one wins (as in the app), so a second resourceType decides', async () => {
    const dup = capabilityText.replace(/}$/, ',"resourceType":"Patient"}');
    const p = await track(metadata(dup, { headers: { 'content-type': STU3 } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /got "Patient"/);
  });

  it('100 000 levels of nesting as the whole body: parsed, judged, no RangeError', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const p = await track(metadata(deep, { headers: { 'content-type': STU3 } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /the JSON is not an object/);
  });

  it('100 000 levels of nesting in resourceType, rest[].mode, fhirVersion and format: failed rows, never error rows', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const asType = `{"resourceType":${deep}}`;
    const p1 = await track(metadata(asType, { headers: { 'content-type': STU3 } }));
    const run1 = await certifyMeta(p1.baseUrl);
    expect(run1.code).toBe(1);
    expectFailedRow(run1, 'META-01', /got an array of 1 item/);

    const cap = conformantCapability('stu3');
    cap.rest[0].mode = '@MODE@';
    cap.format = '@FORMAT@';
    const text = JSON.stringify(cap).replace('"@MODE@"', deep).replace('"@FORMAT@"', deep);
    const p2 = await track(metadata(text, { headers: { 'content-type': STU3 } }));
    const run2 = await certifyMeta(p2.baseUrl);
    expect(run2.code).toBe(1);
    expectFailedRow(run2, 'META-03', /no rest entry has mode "server" \(found an array of 1 item\)/);
    expect(run2.report!.checks.filter((r) => r.status === 'error')).toEqual([]);

    const p3 = await track(
      metadata(
        JSON.stringify({ ...conformantCapability('stu3'), fhirVersion: '@V@' }).replace('"@V@"', deep),
        { headers: { 'content-type': STU3 } },
      ),
    );
    const run3 = await certifyMeta(p3.baseUrl);
    expectFailedRow(run3, 'META-02', /fhirVersion an array of 1 item has no profile/);
    expect(run3.report!.checks.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('enormous numbers and strings: failed rows with bounded messages and a bounded report', async () => {
    const huge = 'x'.repeat(5 * MB);
    const text = JSON.stringify({ ...conformantCapability('stu3'), resourceType: huge });
    const p = await track(metadata(text, { headers: { 'content-type': STU3 } }));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /got a 5242880-character string "x{60}"…/);
    expect(row.message.length).toBeLessThan(2100);
    expect(row.evidence[0]!.response!.truncated).toBe(true);
    expect(JSON.stringify(run.report).length, 'report.json stays small').toBeLessThan(200_000);

    const numbers = JSON.stringify({ ...conformantCapability('stu3'), fhirVersion: '@N@' }).replace(
      '"@N@"',
      `1${'0'.repeat(400)}`,
    );
    const p2 = await track(metadata(numbers, { headers: { 'content-type': STU3 } }));
    const run2 = await certifyMeta(p2.baseUrl);
    expect(run2.code).toBe(1);
    expectFailedRow(run2, 'META-02', /fhirVersion Infinity has no profile/);
  });
});

describe('hostile partners: bounds (time and memory)', () => {
  it('a body that never ends stops at --max-response-bytes, with RSS growth bounded', async () => {
    const p = await track(startRawPartner((socket) => endless(socket, Buffer.alloc(64 * 1024, 0x20))));
    const run = await certifyMeta(p.baseUrl, ['--max-response-bytes', String(4 * MB)]);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /exceeded the 4194304-byte cap; read stopped/);
    expect(row.evidence[0]!.response!.bodyBytes).toBe(4 * MB);
    expect(row.evidence[0]!.response!.truncated).toBe(true);
    expect(run.elapsedMs).toBeLessThan(10_000);
    // 4 MB kept as a Buffer, once as a string and once as a preview; far below an unbounded read.
    expect(run.rssGrowthBytes, `RSS grew ${(run.rssGrowthBytes / MB).toFixed(1)} MB`).toBeLessThan(96 * MB);
    expect(run.report!.target.settings?.maxResponseBytes).toBe(4 * MB);
  });

  it('a server that accepts the connection and never answers: the per-request timeout', async () => {
    const p = await track(startRawPartner(() => undefined));
    const run = await certifyMeta(p.baseUrl, ['--timeout', '1000']);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /timeout: no complete answer within the 1000 ms request timeout/);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(run.elapsedMs).toBeLessThan(1000 + 4000);
  });

  it('headers dripped one byte a second: the deadline covers the headers', async () => {
    const p = await track(
      startRawPartner((socket) =>
        drip(socket, head('HTTP/1.1 200 OK', { 'content-type': STU3, 'x-pad': 'a'.repeat(200) }), 1000),
      ),
    );
    const run = await certifyMeta(p.baseUrl, ['--timeout', '1500']);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /timeout: no complete answer within the 1500 ms/);
    expect(row.evidence[0]!.timing.totalMs).toBeLessThan(1500 + 1000);
    expect(run.elapsedMs).toBeLessThan(1500 + 4000);
  });

  it('a body dripped one byte every 100 ms: bodyTimeout restarts per byte, the deadline does not', async () => {
    // undici's bodyTimeout (set to the same 1500 ms) is an idle timeout and would never fire here:
    // only the AbortSignal.timeout deadline over the whole exchange bounds this case.
    const p = await track(
      startRawPartner((socket) => {
        socket.write(
          head('HTTP/1.1 200 OK', { 'content-type': STU3, 'content-length': capabilityText.length }),
        );
        drip(socket, capabilityText, 100);
      }),
    );
    const run = await certifyMeta(p.baseUrl, ['--timeout', '1500']);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /timeout: no complete answer within the 1500 ms/);
    expect(row.evidence[0]!.response!.status).toBe(200);
    expect(run.elapsedMs).toBeLessThan(1500 + 4000);
  });

  it('the whole-run timeout ends a run whose requests would each take far longer', async () => {
    const p = await track(startRawPartner(() => undefined));
    const run = await certifyMeta(p.baseUrl, ['--timeout', '60000', '--run-timeout', '1500']);
    expect(run.code).toBe(1);
    const row = rowsOf(run.report, 'META-01')[0]!;
    expect(row.status).toBe('error');
    expect(row.message).toMatch(/whole-run timeout of 1500 ms was reached/);
    // Every later row is reported too, not dropped.
    expect(rowsOf(run.report, 'META-10')[0]!.status).toMatch(/error|skip/);
    // The abandoned request was cancelled, not left to its 60 s timeout (the run closes its client).
    expect(run.elapsedMs).toBeLessThan(1500 + 4000);
    expect(run.everything()).not.toContain(SECRET);
  });
});

describe('hostile partners: broken connections and HTTP (META-01 fails with the transport reason)', () => {
  it('the connection is reset mid-body', async () => {
    const p = await track(
      startRawPartner((socket) => {
        socket.write(
          head('HTTP/1.1 200 OK', { 'content-type': STU3, 'content-length': 5000 }) +
            capabilityText.slice(0, 100),
        );
        setTimeout(() => socket.resetAndDestroy(), 50);
      }),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(
      run,
      'META-01',
      /answered 200 but the answer is incomplete \(reset: the connection was closed or reset/,
    );
    expect(row.evidence[0]!.error!.code).toBe('reset');
  });

  it('a bad chunk size is a protocol error', async () => {
    const p = await track(
      rawAnswer(
        head('HTTP/1.1 200 OK', { 'content-type': STU3, 'transfer-encoding': 'chunked' }) +
          'ZZ\r\n{}\r\n0\r\n\r\n',
      ),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /protocol: the answer is not valid HTTP \(.*chunk size/i);
    expect(row.evidence[0]!.error!.code).toBe('protocol');
  });

  it('a chunk size that overflows is a protocol error', async () => {
    const p = await track(
      rawAnswer(
        head('HTTP/1.1 200 OK', { 'content-type': STU3, 'transfer-encoding': 'chunked' }) +
          'FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n',
      ),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /protocol: the answer is not valid HTTP/);
  });

  it('a chunked body cut off before its last chunk', async () => {
    const p = await track(
      rawAnswer(
        head('HTTP/1.1 200 OK', { 'content-type': STU3, 'transfer-encoding': 'chunked' }) + '2\r\n{}\r\n',
      ),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(
      run,
      'META-01',
      /reset: the connection was closed or reset before the answer was complete/,
    );
  });

  it('Content-Length together with Transfer-Encoding: chunked is a protocol error', async () => {
    const p = await track(
      rawAnswer(
        head('HTTP/1.1 200 OK', {
          'content-type': STU3,
          'content-length': 2,
          'transfer-encoding': 'chunked',
        }) + '2\r\n{}\r\n0\r\n\r\n',
      ),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /protocol: the answer is not valid HTTP/);
  });

  it('no status line at all (HTTP/0.9 style) is a protocol error', async () => {
    const p = await track(rawAnswer(capabilityText));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /protocol: the answer is not valid HTTP/);
  });

  it('an HTTP/1.0 answer delimited by closing the connection is read like any other (META passes)', async () => {
    const p = await track(rawAnswer(head('HTTP/1.0 200 OK', { 'content-type': STU3 }) + capabilityText));
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(0);
    expect(run.report!.checks.every((r) => r.status === 'pass')).toBe(true);
  });

  it('an HTTP/1.0 answer cut short by the close is still judged on what arrived', async () => {
    const p = await track(
      rawAnswer(head('HTTP/1.0 200 OK', { 'content-type': STU3 }) + capabilityText.slice(0, 200)),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /not valid JSON/);
  });
});

describe('hostile partners: redirects (never followed)', () => {
  it('a redirect to another origin: not followed, the row fails and says so', async () => {
    const elsewhere = await track(metadata(capabilityText, { headers: { 'content-type': STU3 } }));
    const elsewhereHits = () => (elsewhere as unknown as { requests: Request[] }).requests.length;
    const p = await track(
      startMswPartner([
        http.get(
          '*/fhir/metadata',
          () =>
            new HttpResponse(null, { status: 302, headers: { location: `${elsewhere.baseUrl}/metadata` } }),
        ),
      ]),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(run, 'META-01', /HTTP 302 redirect to another origin \(.*\), not followed/);
    expect(row.evidence[0]!.redirect).toEqual({
      location: `${elsewhere.baseUrl}/metadata`,
      crossOrigin: true,
    });
    expect(elsewhereHits()).toBe(0);
    expect(run.report!.target.settings?.maxRedirects).toBe(0);
  });

  it('a redirect loop: one request, not a loop', async () => {
    const p = await track(
      startMswPartner([
        http.get(
          '*/fhir/metadata',
          () => new HttpResponse(null, { status: 301, headers: { location: '/fhir/metadata' } }),
        ),
      ]),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /HTTP 301 redirect to the same origin .*not followed/);
    expect(p.requests.length).toBe(1);
  });
});

describe('hostile partners: compression bombs (never decompressed)', () => {
  it('a gzip bomb is not inflated: the row fails because the body is not JSON', async () => {
    expect(gzipBomb.length).toBeLessThan(2 * MB);
    const p = await track(
      rawAnswer(
        Buffer.concat([
          Buffer.from(
            head('HTTP/1.1 200 OK', {
              'content-type': STU3,
              'content-encoding': 'gzip',
              'content-length': gzipBomb.length,
            }),
          ),
          gzipBomb,
        ]),
      ),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    const row = expectFailedRow(
      run,
      'META-01',
      /Content-Encoding "gzip", which the harness did not accept .* does not decompress/,
    );
    // Exactly the compressed bytes arrived: nothing was inflated.
    expect(row.evidence[0]!.response!.bodyBytes).toBe(gzipBomb.length);
    expect(row.evidence[0]!.request.headers['accept-encoding']).toBe('identity');
    expect(run.rssGrowthBytes, `RSS grew ${(run.rssGrowthBytes / MB).toFixed(1)} MB`).toBeLessThan(
      BOMB_INFLATED / 4,
    );
  });

  it('a deflate body is not inflated either', async () => {
    const p = await track(
      metadata(deflateSync(Buffer.from(capabilityText)), {
        headers: { 'content-type': STU3, 'content-encoding': 'deflate' },
      }),
    );
    const run = await certifyMeta(p.baseUrl);
    expect(run.code).toBe(1);
    expectFailedRow(run, 'META-01', /Content-Encoding "deflate"/);
  });
});
