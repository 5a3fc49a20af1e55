/**
 * Honouring `429 Too Many Requests` the way a well-behaved client does, within the run's bounds: wait
 * what `Retry-After` asks (seconds or an HTTP date) and try again, but never wait longer in total than
 * the budget (the per-request timeout by default), never more than `maxRetries` times, and never past
 * the whole-run abort. When the partner asks for more than that, the 429 is returned as the answer and
 * the check fails on it, with a note in the evidence saying why the harness stopped waiting.
 *
 * Every attempt goes through the given `Http`, so with `ctx.http` each 429 is part of the evidence.
 * Opt-in: latency sampling must not use it (a retried sample is not a latency).
 */
import type { Http } from './client.js';
import type { Exchange, HttpRequest } from './exchange.js';

export interface RetryAfterPolicy {
  /** Most total time spent waiting between attempts. */
  maxWaitMs: number;
  /** Most retries after the first attempt. */
  maxRetries?: number;
  /** Wait when a 429 has no usable Retry-After. */
  defaultWaitMs?: number;
  /** The whole-run abort: stop waiting at once. */
  signal?: AbortSignal;
}

const DEFAULT_RETRIES = 2;
const DEFAULT_WAIT_MS = 1000;

export async function requestHonouringRetryAfter(
  http: Http,
  req: HttpRequest,
  policy: RetryAfterPolicy,
): Promise<Exchange> {
  const maxRetries = policy.maxRetries ?? DEFAULT_RETRIES;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    const exchange = await http.request(req);
    if (exchange.status !== 429) return exchange;
    const asked = retryAfterMs(exchange.headers['retry-after']);
    const wait = asked ?? policy.defaultWaitMs ?? DEFAULT_WAIT_MS;
    const why =
      attempt >= maxRetries
        ? `still 429 after ${maxRetries} retr${maxRetries === 1 ? 'y' : 'ies'}`
        : waited + wait > policy.maxWaitMs
          ? `Retry-After asks for ${Math.ceil(wait / 1000)} s; the harness waits at most ${policy.maxWaitMs} ms in total for one request`
          : policy.signal?.aborted
            ? 'the run was aborted'
            : undefined;
    if (why) {
      note(exchange, `rate limited (429), not retried further: ${why}`);
      return exchange;
    }
    note(
      exchange,
      `rate limited (429); retried after ${wait} ms${asked === undefined ? ' (no usable Retry-After)' : ''}`,
    );
    if (!(await sleep(wait, policy.signal))) {
      note(exchange, 'rate limited (429); the run was aborted while waiting to retry');
      return exchange;
    }
    waited += wait;
  }
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function note(exchange: Exchange, text: string): void {
  // The evidence object is captured once and shared, so the note reaches the report.
  exchange.evidence.note = text;
}

/** Resolves true after `ms`, or false at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
