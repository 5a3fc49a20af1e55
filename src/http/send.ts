/**
 * One HTTP attempt on undici's dispatch API: status, headers and body chunks straight from the
 * parser, with no Readable stream, no AbortSignal and no event listener per request. With
 * `request()`, AbortSignal.timeout and listeners the harness spent ~145 µs of CPU per request under
 * load; this way 60–80 µs, within reach of autocannon (bench/load.bench.ts). The attempt settles
 * exactly once: on the last body byte, on an error, at its deadline, or when the run cancels it.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { classifyError } from './errors.js';
import type { HttpError } from './exchange.js';

export interface Attempt {
  status: number;
  responseHeaders: Record<string, string>;
  headersMs?: number;
  chunks: Buffer[];
  error?: HttpError;
}

export interface AttemptRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  /** The exchange's start, so a retry's timings still count from the first send. */
  t0: number;
  /** Absolute deadline on the performance clock: connect, headers and the whole body together. */
  deadline: number;
}

/** Lets the owner stop every attempt in flight; returns the unregister function. */
export type CancelRegistry = (cancel: (error: HttpError) => void) => () => void;

export function sendAttempt(
  dispatcher: Dispatcher,
  req: AttemptRequest,
  register: CancelRegistry,
): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const got: Attempt = { status: 0, responseHeaders: {}, chunks: [] };
    let received = 0;
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    // Set when we give up before undici handed us a controller (still connecting or queued).
    let abortOnStart: Error | undefined;

    const settle = (error?: HttpError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unregister();
      if (error) got.error = error;
      resolve(got);
    };
    const giveUp = (error: HttpError): void => {
      if (settled) return;
      // Settle first: aborting makes undici call onResponseError at once, with a vaguer error.
      settle(error);
      const reason = new Error(error.message);
      if (controller) controller.abort(reason);
      else abortOnStart = reason;
    };

    // One deadline for connect + headers + the whole body: undici's headersTimeout and bodyTimeout
    // restart on every byte, so a partner dripping a byte a second would never trip them alone.
    const timer = setTimeout(
      () => giveUp(classifyError({}, true, req.timeoutMs)),
      Math.max(0, req.deadline - performance.now()),
    );
    const unregister = register(giveUp);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (abortOnStart) ctrl.abort(abortOnStart);
      },
      onResponseStart(_ctrl, statusCode, headers) {
        // 1xx interim answers are not the answer; undici passes them through here.
        if (statusCode < 200 || settled) return;
        got.headersMs = performance.now() - req.t0;
        got.status = statusCode;
        got.responseHeaders = flattenHeaders(headers);
      },
      onResponseData(ctrl, chunk) {
        if (settled) return;
        received += chunk.length;
        if (received > req.maxBytes) {
          const keep = chunk.length - (received - req.maxBytes);
          if (keep > 0) got.chunks.push(chunk.subarray(0, keep));
          const error = {
            code: 'too-large',
            message: `response body exceeded the ${req.maxBytes}-byte cap; read stopped`,
          };
          settle(error);
          ctrl.abort(new Error(error.message));
          return;
        }
        got.chunks.push(chunk);
      },
      onResponseEnd() {
        settle();
      },
      onResponseError(_ctrl, err) {
        settle(classifyError(err, false, req.timeoutMs));
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: req.url.origin,
          path: `${req.url.pathname}${req.url.search}`,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body ?? null,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        handler,
      );
    } catch (err) {
      // A closed agent or an invalid header value throws synchronously.
      settle(classifyError(err, false, req.timeoutMs));
    }
  });
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in raw) {
    const v = raw[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
