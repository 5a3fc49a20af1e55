/**
 * When the run itself cannot talk to the partner (a host that does not resolve, a closed port, a TLS
 * handshake that fails, credentials the partner refuses), every later row would fail for that one
 * reason and blame the partner for it. A check that finds such a cause records one diagnosis; the
 * engine then skips the checks that cannot be judged without what it broke, naming the cause, and the
 * renderers print it as one sentence.
 */
import type { Exchange } from '../http/exchange.js';
import type { Diagnosis } from '../core/model.js';

export type { Diagnosis };

/**
 * What a check cannot be judged without. `connection`: a TCP (and TLS) connection to the partner's
 * hosts; `http`: HTTP answers from the FHIR base; `token-endpoint`: answers a token request can use;
 * `credentials`: a token for the run's own client id and secret.
 */
export type Need = 'connection' | 'http' | 'token-endpoint' | 'credentials';

/** What a check needs when it declares nothing: to talk to the FHIR base over HTTP. */
export const DEFAULT_NEEDS: readonly Need[] = ['connection', 'http'];

/** Transport errors that mean no HTTP conversation happened at all, as opposed to a broken answer. */
const UNREACHABLE_CODES = new Set(['dns', 'refused', 'tls', 'timeout']);
const UNREACHABLE_NETWORK = /\b(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|EADDRNOTAVAIL)\b/;

/** `host:port` of a URL, with the scheme's default port spelt out. */
export function endpointOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname}:${port}`;
}

/**
 * The transport error code when `exchange` never got an HTTP answer for a reason of reachability (no
 * name, nothing listening, no TLS handshake, no answer in time), otherwise undefined. A reset or a
 * malformed answer came from a partner that was reached, and is judged as its answer.
 */
export function unreachableCause(exchange: Exchange): string | undefined {
  const error = exchange.error;
  if (exchange.status !== 0 || !error) return undefined;
  if (UNREACHABLE_CODES.has(error.code)) return error.code;
  if (error.code === 'network' && UNREACHABLE_NETWORK.test(error.message)) return error.code;
  return undefined;
}

/** The sentence for an endpoint the run could not reach, e.g. `could not reach h:443: the host name…`. */
export function unreachableMessage(url: string, exchange: Exchange): string {
  return `could not reach ${endpointOf(url)}: ${exchange.error?.message ?? 'no answer'}`;
}

/**
 * What a diagnosis takes away. A name that does not resolve or a port that is closed leaves nothing to
 * judge; a failed TLS handshake still leaves the handshake itself, which SEC-02 judges (a certificate
 * that does not validate is the partner's own failure). A token endpoint that answers nothing usable
 * leaves the FHIR base; refused credentials leave even the token endpoint's refusals.
 */
export function blockedNeeds(d: Diagnosis): ReadonlySet<Need> {
  switch (d.kind) {
    case 'unreachable':
      return new Set<Need>(
        d.cause === 'tls'
          ? ['http', 'token-endpoint', 'credentials']
          : ['connection', 'http', 'token-endpoint', 'credentials'],
      );
    case 'token-endpoint-unusable':
      return new Set<Need>(['token-endpoint', 'credentials']);
    case 'credentials-refused':
      return new Set<Need>(['credentials']);
  }
}

/** The row message of a check skipped because of the diagnosis: the cause, and the row that found it. */
export function skippedFor(d: Diagnosis): string {
  return `skipped (${d.requirement}): ${d.message}`;
}
