/**
 * Looking inside a partner's access token without verifying it: the signing key is the partner's, not
 * ours, so we only decode (jose's `decodeJwt` / `decodeProtectedHeader`) and judge what the token says
 * about itself. Also makes the tampered tokens of AUTH-08.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

export type JwtInspection =
  | { kind: 'opaque' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'jwt'; header: ProtectedHeaderParameters; claims: JWTPayload };

/** Three base64url segments, the first of which starts a JSON object (`eyJ` is `{"`). */
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(token: string): boolean {
  return JWS_SHAPE.test(token) && token.startsWith('eyJ');
}

export function inspectJwt(token: string): JwtInspection {
  if (!looksLikeJwt(token)) return { kind: 'opaque' };
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    return { kind: 'jwt', header, claims };
  } catch (err) {
    return { kind: 'malformed', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The claims AUTH-06 accepts as naming the tenant, and what each holds. */
export const TENANT_CLAIMS = ['scope', 'scp', 'tid', 'tenant'] as const;

/** The first tenant claim that names `tenant` (GUIDs compared without case), or undefined. */
export function claimNamingTenant(claims: JWTPayload, tenant: string): string | undefined {
  const wanted = tenant.toLowerCase();
  for (const name of TENANT_CLAIMS) {
    const value = claims[name];
    const values =
      typeof value === 'string'
        ? value.split(/\s+/)
        : Array.isArray(value)
          ? value.filter((v): v is string => typeof v === 'string')
          : [];
    if (values.some((v) => v.toLowerCase() === wanted)) return name;
  }
  return undefined;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same token with exactly one character of its signature changed. The character is taken from the
 * middle of the signature: the last base64url character may carry padding bits only, and changing
 * those leaves the signature bytes the same. An opaque token gets its middle character changed.
 */
export function tamperToken(token: string): string {
  const dot = token.lastIndexOf('.');
  const start = looksLikeJwt(token) && dot >= 0 && token.length - dot > 4 ? dot + 1 : 0;
  const end = start === 0 ? token.length : token.length - 1;
  const at = start + Math.floor((end - start) / 2);
  const old = token[at] ?? 'A';
  const alphabet = B64URL.includes(old) ? B64URL : 'abcdefghijklmnopqrstuvwxyz0123456789';
  const next = alphabet[(alphabet.indexOf(old) + 1) % alphabet.length]!;
  return `${token.slice(0, at)}${next}${token.slice(at + 1)}`;
}

/** A bearer value no partner can have issued. */
export function randomBearer(): string {
  return `fhir-certify-random-${randomBytes(24).toString('base64url')}`;
}
