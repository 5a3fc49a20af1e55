/**
 * Access tokens: HS256 JWTs signed with jose, carrying the tenant (`scope` and `tid`). Verified tokens
 * are cached by their exact text, so a data request pays the signature check once per token; expiry is
 * checked on every request.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, compactVerify, decodeJwt } from 'jose';
import type { ActiveFaults } from './faults/index.js';

export interface TokenClaims {
  sub: string;
  /** The tenant GUID, or undefined for a token issued without scope (a fault, or the unusual variant). */
  tid: string | undefined;
  iat: number;
  exp: number;
  /** Only with a fault that skips the signature check: the bearer was not a token of ours at all. */
  forged?: boolean;
}

export type Verified = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

const CACHE_LIMIT = 10_000;

export class TokenService {
  private readonly key = new Uint8Array(randomBytes(32));
  private readonly cache = new Map<string, TokenClaims>();

  constructor(
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly faults: ActiveFaults,
    /** The unusual variant: opaque random tokens, known only to this server, instead of JWTs. */
    private readonly opaque = false,
  ) {}

  async issue(clientId: string, tenant: string | undefined): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(Date.now() / 1000);
    if (this.opaque) {
      const token = randomBytes(32).toString('base64url');
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(token, { sub: clientId, tid: tenant, iat, exp: iat + this.ttlSeconds });
      return { token, expiresIn: this.ttlSeconds };
    }
    // A fault may claim a later exp than expires_in says; verify() still enforces iat + ttl.
    const claims = { iat, exp: iat + this.ttlSeconds };
    this.faults.tokenClaims(claims);
    const payload: Record<string, unknown> = {};
    if (tenant !== undefined) {
      payload.scope = tenant;
      payload.tid = tenant;
    }
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setSubject(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds };
  }

  async verify(token: string): Promise<Verified> {
    let claims = this.cache.get(token);
    if (!claims && this.opaque) return { ok: false, reason: 'invalid' };
    if (!claims) {
      const checked = await this.checkSignature(token);
      if (!checked) return { ok: false, reason: 'invalid' };
      claims = checked;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(token, claims);
    }
    const now = Date.now() / 1000;
    const expiresAt = Math.min(claims.exp, claims.iat + this.ttlSeconds);
    if (now >= expiresAt && !this.faults.bearerAccepted('expired')) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private async checkSignature(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await compactVerify(token, this.key, { algorithms: ['HS256'] });
      return toClaims(JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>);
    } catch {
      if (!this.faults.bearerAccepted('bad-signature')) return undefined;
      // The signature goes unchecked: a random string passes as a token of tenant A.
      try {
        return toClaims(decodeJwt(token) as Record<string, unknown>) ?? forged();
      } catch {
        return forged();
      }
    }
  }
}

function forged(): TokenClaims {
  const iat = Math.floor(Date.now() / 1000);
  return { sub: 'unknown', tid: undefined, iat, exp: iat + 3600, forged: true };
}

function toClaims(payload: Record<string, unknown>): TokenClaims | undefined {
  const { sub, tid, iat, exp } = payload;
  if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  if (tid !== undefined && typeof tid !== 'string') return undefined;
  return { sub, tid, iat, exp };
}
