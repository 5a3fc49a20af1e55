/**
 * What masking costs per piece of evidence: `node --import tsx bench/mask.bench.ts`. A run's
 * redactor holds the client secret, a rotated secret and a dozen issued tokens; each evidence body is
 * at most 4 KiB. Prints the median µs per mask() for the kinds of text evidence holds, from text with
 * nothing to decode to text full of escapes, and for the worst case: every form of every credential.
 * Latency samples and load requests make no evidence, so this is paid only by checks' exchanges.
 */
import { Redactor } from '../src/http/redact.js';

const runs = 7;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const secret = 'kP3/9xQ+Zt=secret-value-42';
const redactor = new Redactor();
redactor.addSecret(secret);
redactor.addSecret('rotated/Secret+value=7');
for (let i = 0; i < 12; i++)
  redactor.addToken(`eyJhbGciOiJSUzI1NiJ9.eyJ0ZW5hbnQiOiI${i}In0.c2lnbmF0dXJlLXNpZ25hdHVyZS0${i}`);

const patients = Array.from({ length: 12 }, (_, i) => ({
  fullUrl: `https://ehr.example.com/fhir/Patient/pat-${i}`,
  resource: {
    resourceType: 'Patient',
    id: `pat-${i}`,
    name: [{ family: 'Smith', given: ['Ann', 'Marie'] }],
    birthDate: '1970-01-01',
    address: [{ line: ['1 Main St'], city: 'Springfield' }],
  },
}));
const bundle = { resourceType: 'Bundle', type: 'searchset', entry: patients };
const cut = (text: string): string => text.slice(0, 4096);
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const texts: Record<string, string> = {
  'compact JSON body (4 KiB)': cut(JSON.stringify(bundle)),
  'pretty-printed JSON body (4 KiB)': cut(JSON.stringify(bundle, null, 2)),
  'JSON with escapes, PHP style (4 KiB)': cut(JSON.stringify(bundle).replace(/\//g, '\\/')),
  'URL with a query':
    'https://ehr.example.com/fhir/Patient?family=Sm%C3%ADth&given=Ann&_count=50&birthdate=ge1970-01-01',
  'worst case: every form of the secret (4 KiB)': cut(
    Array.from({ length: 40 }, () =>
      [
        secret,
        b64(secret),
        encodeURIComponent(secret),
        JSON.stringify(secret).replace(/\//g, '\\/'),
        Buffer.from(secret).toString('hex'),
      ].join(' '),
    ).join('\n'),
  ),
};

for (const [name, text] of Object.entries(texts)) {
  const n = 2000;
  for (let i = 0; i < n; i++) redactor.mask(text);
  const perCall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) redactor.mask(text);
    perCall.push(((performance.now() - t) * 1000) / n);
  }
  console.log(`${name.padEnd(46)} median ${median(perCall).toFixed(1)} µs per mask()`);
}
