/**
 * What the partner-facing helpers are given inside a test check, built from a token URL and the run's
 * own secret: a token provider, and the PartnerAccess a data check would have (STU3, its profile).
 */
import { makeTokenProvider } from '../../src/auth/session.js';
import type { TokenProvider } from '../../src/auth/token-client.js';
import type { RunContext } from '../../src/engine/context.js';
import type { PartnerAccess } from '../../src/partner/access.js';
import { loadProfile } from '../../src/profile/load.js';

export function tokensAt(ctx: RunContext, tokenUrl: string): TokenProvider {
  return makeTokenProvider(ctx, tokenUrl, ctx.options.clientSecret ?? '');
}

export function accessAt(ctx: RunContext, tokenUrl: string): PartnerAccess {
  return {
    ctx,
    tokens: tokensAt(ctx, tokenUrl),
    version: 'stu3',
    rest: {},
    probes: new Map(),
    profile: loadProfile('patients-app-stu3'),
  };
}
