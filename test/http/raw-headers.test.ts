import { util } from 'undici';
import { describe, expect, it } from 'vitest';
import { headersOf, headerValue, pairsOf } from '../../src/http/raw-headers.js';

const raw = ['X-Trace', 'a', 'Content-Type', 'application/fhir+json', 'x-trace', 'b', '__proto__', 'p'].map(
  (text) => Buffer.from(text, 'latin1'),
);

describe('pairsOf', () => {
  it('gives back, from the object undici builds, the headers the raw pairs give', () => {
    const pairs = pairsOf(util.parseHeaders(raw));
    expect(headersOf(pairs)).toEqual(headersOf(raw));
    expect(headerValue(pairs, 'x-trace')).toBe('a, b');
    expect(Object.getPrototypeOf(headersOf(pairs))).toBe(Object.prototype);
  });
});
