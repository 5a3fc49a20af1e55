import { describe, expect, it } from 'vitest';
import { Redactor, maskToken } from '../../src/http/redact.js';

describe('Redactor', () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6InRlbmFudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

  it('removes secrets entirely and keeps only a short prefix of tokens', () => {
    const r = new Redactor();
    r.addSecret('top-secret-value');
    r.addToken(token);
    const out = r.mask(`secret=top-secret-value and token ${token} again ${token}`);
    expect(out).not.toContain('top-secret-value');
    expect(out).not.toContain(token);
    expect(out).toContain(token.slice(0, 6));
    expect(out).toContain('***');
  });

  it('masks credential fields it has never been told about', () => {
    const r = new Redactor();
    expect(r.mask(`{"access_token":"${token}","token_type":"Bearer"}`)).not.toContain(token);
    expect(r.mask('grant_type=client_credentials&client_secret=abc%2Fdef&scope=x')).not.toMatch(/abc/);
    expect(r.mask('{"client_secret": "unregistered-secret"}')).not.toContain('unregistered-secret');
  });

  it('masks Authorization headers, keeping the scheme', () => {
    const r = new Redactor();
    const masked = r.maskHeaders({ Authorization: `Bearer ${token}`, accept: 'application/fhir+json' });
    expect(masked.Authorization).toMatch(/^Bearer eyJhbG…/);
    expect(masked.Authorization).not.toContain(token);
    expect(masked.accept).toBe('application/fhir+json');
  });

  it('never leaves short tokens readable', () => {
    expect(maskToken('abcdefgh')).toBe('***');
  });

  it('masks a header that a partner named after a secret', () => {
    const r = new Redactor();
    r.addSecret('top-secret-value');
    const masked = r.maskHeaders({ 'x-top-secret-value': 'v' });
    expect(Object.keys(masked)).toEqual(['x-***']);
  });

  it('masks encodings mixed character by character, and leaves ordinary text alone', () => {
    const r = new Redactor();
    const secret = 'kP3/9xQ+Zt=secret';
    r.addSecret(secret);
    // Half JSON-escaped, half literal; percent-encoding in mixed case; entities for two characters.
    const mixed = ['\\u006bP3\\/9xQ+Zt=secret', 'kP3%2f9xQ%2BZt%3Dsecret', 'kP3&#47;9xQ&#x2b;Zt=secret'];
    for (const form of mixed) expect(r.mask(`a ${form} b`)).toBe('a *** b');
    const ordinary = 'GET /fhir/Patient?name=a%20b&x=1 {"note":"line\\nbreak \\u00e9"}';
    expect(r.mask(ordinary)).toBe(ordinary);
  });

  it('masks base64 of a secret at any offset inside a longer encoded string', () => {
    const r = new Redactor();
    const secret = 'a-rather-long-client-secret';
    r.addSecret(secret);
    for (const prefix of ['', 'x', 'xy', 'client-id:', 'Bearer ']) {
      const encoded = Buffer.from(`${prefix}${secret}!`).toString('base64');
      const masked = r.mask(encoded);
      expect(masked, prefix).toContain('***');
      // What is left cannot be decoded back into more than two characters of the secret.
      expect(Buffer.from(masked.replace('***', ''), 'base64').toString('latin1')).not.toContain(
        secret.slice(0, 3),
      );
    }
  });
});
