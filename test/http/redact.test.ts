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
});
