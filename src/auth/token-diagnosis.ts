/**
 * Why the run's own token request got no token, when the reason is not something the partner's
 * refusals can be judged on: the token URL answers nothing a token request could use, or the partner
 * refused the run's credentials. Either one turns AUTH-01's failure into the run's diagnosis, so the
 * checks that need a working token endpoint or working credentials are skipped naming it instead of
 * each failing for the same reason (src/engine/diagnosis.ts).
 */
import { describe, type Exchange } from '../http/exchange.js';
import type { Diagnosis } from '../core/model.js';
import type { RunOptions } from '../engine/options.js';
import { unreachableCause, unreachableMessage } from '../engine/diagnosis.js';
import { isObject } from '../core/json.js';
import { oauthError } from './token-response.js';

/** The sentence that tells the user which of their own settings to check. */
export function credentialsRefusedMessage(
  options: Pick<RunOptions, 'clientSecretEnv' | 'rotatedSecretEnv' | 'rotatedSecret'>,
): string {
  const rotated =
    options.rotatedSecret && options.rotatedSecretEnv
      ? ` (and the rotated one in $${options.rotatedSecretEnv})`
      : '';
  return `the partner refused these credentials: check --client-id and the secret in $${options.clientSecretEnv}${rotated}`;
}

/**
 * The diagnosis for a token request with the run's own credentials that got no usable token, or
 * undefined when the answer is one the partner is judged on (a token with a bad field, a refusal for
 * another reason such as invalid_scope).
 */
export function diagnoseTokenFailure(
  exchange: Exchange,
  tokenUrl: string,
  options: Pick<RunOptions, 'clientSecretEnv' | 'rotatedSecretEnv' | 'rotatedSecret'>,
): Diagnosis | undefined {
  const unusable = (why: string): Diagnosis => ({
    kind: 'token-endpoint-unusable',
    message: `the token URL ${tokenUrl} answered nothing a token request could use: ${why}`,
    requirement: 'AUTH-01',
  });
  if (unreachableCause(exchange)) return unusable(unreachableMessage(tokenUrl, exchange));
  if (exchange.status === 0) return unusable(describe(exchange));
  const code = oauthError(exchange);
  // RFC 6749 §5.2: invalid_client is a failed client authentication, and 401 is its status.
  if (code === 'invalid_client' || (exchange.status === 401 && (code === undefined || code === ''))) {
    return {
      kind: 'credentials-refused',
      message: credentialsRefusedMessage(options),
      requirement: 'AUTH-01',
    };
  }
  if (code !== undefined) return undefined;
  const body = exchange.json();
  const tokenShaped = body.ok && isObject(body.value) && 'access_token' in body.value;
  return tokenShaped ? undefined : unusable(describe(exchange));
}
