import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  claimNamingTenant,
  inspectJwt,
  looksLikeJwt,
  randomBearer,
  tamperToken,
} from '../../src/auth/jwt.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const KEY = new TextEncoder().encode('0123456789abcdef0123456789abcdef');

async function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(KEY);
}

describe('JWT inspection (decode only)', () => {
  it('tells opaque, malformed and decodable tokens apart', async () => {
    expect(inspectJwt('2YotnFZFEjr1zCsicMWpAA').kind).toBe('opaque');
    expect(inspectJwt('eyJub3QganNvbg.eyJ4IjoxfQ.c2ln').kind).toBe('malformed');
    const seen = inspectJwt(await jwt({ tid: TENANT }));
    expect(seen.kind).toBe('jwt');
    if (seen.kind === 'jwt') {
      expect(seen.header.alg).toBe('HS256');
      expect(typeof seen.claims.exp).toBe('number');
    }
  });

  it('finds the tenant in scope (space separated), scp (array), tid or tenant, ignoring case', () => {
    expect(claimNamingTenant({ scope: `openid ${TENANT.toUpperCase()}` }, TENANT)).toBe('scope');
    expect(claimNamingTenant({ scp: ['x', TENANT] }, TENANT)).toBe('scp');
    expect(claimNamingTenant({ tenant: TENANT }, TENANT)).toBe('tenant');
    expect(claimNamingTenant({ tid: 'another', aud: TENANT }, TENANT)).toBeUndefined();
  });

  it('changes exactly one character, inside the signature, so the signature bytes differ', async () => {
    const token = await jwt({ tid: TENANT });
    const tampered = tamperToken(token);
    expect(tampered).toHaveLength(token.length);
    const diff = [...token].map((c, i) => (c === tampered[i] ? -1 : i)).filter((i) => i >= 0);
    expect(diff).toHaveLength(1);
    expect(diff[0]!).toBeGreaterThan(token.lastIndexOf('.'));
    expect(diff[0]!).toBeLessThan(token.length - 1);
    expect(tampered.split('.').slice(0, 2)).toEqual(token.split('.').slice(0, 2));
    const opaque = tamperToken('abcdefghij');
    expect([...opaque].filter((c, i) => c !== 'abcdefghij'[i])).toHaveLength(1);
  });

  it('makes random bearers that are no JWT', () => {
    const a = randomBearer();
    expect(a).not.toBe(randomBearer());
    expect(looksLikeJwt(a)).toBe(false);
  });
});
