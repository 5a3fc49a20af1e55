/**
 * A partner that sends the credentials back encoded: base64 (padded, unpadded, url-safe, inside HTTP
 * Basic's `id:secret` and inside `Bearer <token>`), hex in either case, percent- and form-encoded,
 * JSON-escaped (`\/` as PHP writes it, every character as `\uXXXX`), as HTML entities, base64 wrapped
 * over several lines, and on repeated header lines. Every output of the run (the four report files,
 * stdout, stderr) is scanned for every one of those forms of the secret, the rotated secret and every
 * token the partner issued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { fhirMediaType } from '../helpers/capability.js';
import { runCli } from '../helpers/cli.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { CLIENT_ID, TOKENS, runArgs, startMiniPartner } from './mini-partner.js';

// Characters that every encoding spells differently: `/`, `+`, `=`, `&`, `~`, a space and a non-ASCII one.
const SECRET = 'kP3/9xQ+Zt=s&ecret~é 42-client';
const ROTATED = 'rOt/8+Q=new&Secret~ü 7-rotated';

/** Every spelling of `value` the partner sends, by name; computed here, not by the code under test. */
function spellings(value: string): Record<string, string> {
  const bytes = Buffer.from(value, 'utf8');
  const b64 = bytes.toString('base64');
  const uri = encodeURIComponent(value);
  const unicode = [...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return {
    raw: value,
    base64: b64,
    base64Unpadded: b64.replace(/=+$/, ''),
    base64url: bytes.toString('base64url'),
    hex: bytes.toString('hex'),
    HEX: bytes.toString('hex').toUpperCase(),
    encodeURIComponent: uri,
    percentLowerCase: uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    percentEveryByte: [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    form: new URLSearchParams({ v: value }).toString().slice(2),
    jsonSlashEscaped: JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/'),
    jsonUnicode: unicode,
    jsonUnicodeUpper: unicode.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`),
    htmlEntities: [...value].map((c) => `&#${c.codePointAt(0)};`).join(''),
    htmlHexEntities: [...value].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
    base64Wrapped: b64.replace(/(.{8})/g, '$1\r\n'),
    upperCase: value.toUpperCase(),
  };
}

/** The part of base64(prefix + value) made only of the value's bits: what must not survive. */
function embeddedBase64(prefix: string, value: string): string {
  const whole = Buffer.from(prefix + value, 'utf8').toString('base64');
  const from = Math.ceil((Buffer.byteLength(prefix) * 8) / 6);
  return whole.slice(from, -3);
}

function echoes(values: string[], token?: string): { text: string; headers: Headers } {
  const all = values.flatMap((v) => Object.entries(spellings(v)));
  all.push(['basic', Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')]);
  if (token) all.push(['bearerBase64', Buffer.from(`Bearer ${token}`).toString('base64')]);
  const headers = new Headers({ 'content-type': `${fhirMediaType.stu3}; charset=utf-8` });
  for (const [name, form] of all) {
    // Header values cannot hold line breaks or non-Latin-1 text; those forms go in the body only.
    if (!/[\r\n]/.test(form) && /^[\x20-\x7e]*$/.test(form)) headers.append(`x-echo-${name}`, form);
  }
  // Written by hand, not JSON.stringify: the escapes must reach the harness exactly as spelled.
  const text = `{"resourceType":"OperationOutcome","issue":[${all
    .map(
      ([name, form]) =>
        `{"severity":"error","code":"processing","diagnostics":"${name}: ${form.replace(/\r\n/g, '\\r\\n').replace(/"/g, '\\"')}"}`,
    )
    .join(',')}]}`;
  return { text, headers };
}

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

describe('no credential survives in any encoding', () => {
  it('a full run against a partner that echoes every encoding everywhere', async () => {
    const credentials = [SECRET, ROTATED];
    const issued = new Set<string>();
    partner = await startMiniPartner({
      secrets: credentials,
      issue: (tenant) => {
        const { headers, text } = echoes(credentials);
        const token = TOKENS[tenant]!;
        issued.add(token);
        // A valid token answer, with every spelling of the secret beside it.
        return new HttpResponse(
          `{"access_token":"${token}","token_type":"Bearer","expires_in":3600,"debug":${text}}`,
          { headers: { ...Object.fromEntries(headers), 'content-type': 'application/json' } },
        );
      },
      extra: [
        http.all('*/fhir/Patient*', ({ request }) => {
          const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
          const { headers, text } = echoes([...credentials, token], token);
          if (request.method !== 'GET' || new URL(request.url).pathname !== '/fhir/Patient') {
            return new HttpResponse(text, { status: 500, headers });
          }
          // A search answers, so the run goes on to the second tenant; the echoes ride in an outcome entry.
          return new HttpResponse(
            `{"resourceType":"Bundle","type":"searchset","total":0,"entry":[{"resource":${text},"search":{"mode":"outcome"}}]}`,
            { headers },
          );
        }),
      ],
    });
    const run = await runCli(
      [
        ...runArgs(partner.baseUrl),
        '--rotated-secret-env',
        'ROTATED_SECRET',
        '--timeout',
        '3000',
        '--samples',
        '2',
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: SECRET, ROTATED_SECRET: ROTATED },
    );
    expect(run.report, run.stderr).toBeDefined();
    // The partner really sent the forms to the harness: the scan below is not looking for nothing.
    expect(partner.requests.some((r) => r.url.includes('/fhir/Patient'))).toBe(true);
    expect([...issued].sort()).toEqual(Object.values(TOKENS).sort());
    expect(JSON.stringify(run.report)).toContain('x-echo-');

    const everything = run.everything();
    const leaks: string[] = [];
    for (const value of [SECRET, ROTATED, ...issued]) {
      for (const [name, form] of Object.entries(spellings(value))) {
        if (everything.includes(form)) leaks.push(`${value.slice(0, 6)}… as ${name}`);
      }
      for (const prefix of [`${CLIENT_ID}:`, 'Bearer ', 'x', 'xy']) {
        if (everything.includes(embeddedBase64(prefix, value))) {
          leaks.push(`${value.slice(0, 6)}… as base64 after ${JSON.stringify(prefix)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  }, 120_000);
});
