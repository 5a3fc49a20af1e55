/**
 * One HTTP attempt on undici's dispatch API: status, headers and body chunks straight from the
 * parser, with no Readable stream, no AbortSignal and no event listener per request. With
 * `request()`, AbortSignal.timeout and listeners the harness spent ~145 µs of CPU per request under
 * load (bench/load.bench.ts). The attempt settles exactly once: on the last body byte, on an error,
 * at its deadline, or when the run cancels it.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { BodyBuffer } from './body-buffer.js';
import { classifyError } from './errors.js';
import type { HttpError } from './exchange.js';
import type { RawHeaders } from './raw-headers.js';

export interface Attempt {
  status: number;
  /** Name/value pairs as they came (see raw-headers.ts); decoded only when someone reads them. */
  rawHeaders: RawHeaders;
  headersMs?: number;
  body: BodyBuffer;
  error?: HttpError;
}

export interface AttemptRequest {
  origin: string;
  /** Path and query, as sent on the request line. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  /** Keep only this many leading body bytes and count the rest (an answer that is only timed). */
  keepBytes?: number;
  /** The exchange's start, so a retry's timings still count from the first send. */
  t0: number;
  /** Absolute deadline on the performance clock: connect, headers and the whole body together. */
  deadline: number;
}

/**
 * The attempts in flight, so the owner can stop them all: a list threaded through the attempts
 * themselves. A Set here cost 2–6 µs a request under load (paired runs against the reference
 * partner); the list costs a few pointer writes.
 */
export class InFlight {
  private head: AttemptHandler | undefined;

  add(attempt: AttemptHandler): void {
    attempt.next = this.head;
    if (this.head) this.head.prev = attempt;
    this.head = attempt;
  }

  delete(attempt: AttemptHandler): void {
    if (attempt.prev) attempt.prev.next = attempt.next;
    else if (this.head === attempt) this.head = attempt.next;
    if (attempt.next) attempt.next.prev = attempt.prev;
    attempt.prev = attempt.next = undefined;
  }

  /** Stops every attempt in flight; each unlinks itself as it settles. */
  giveUpAll(error: HttpError): void {
    for (let attempt = this.head; attempt;) {
      const next = attempt.next;
      attempt.giveUp(error);
      attempt = next;
    }
  }
}

export function sendAttempt(
  dispatcher: Dispatcher,
  req: AttemptRequest,
  inFlight: InFlight,
): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const handler = new AttemptHandler(req, inFlight, resolve);
    try {
      dispatcher.dispatch(
        {
          origin: req.origin,
          path: req.path,
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
      handler.settle(classifyError(err, false, req.timeoutMs));
    }
  });
}

/**
 * undici's Client drives handlers through this interface (onConnect, onHeaders, onData…); a handler
 * written to the newer one (onResponseStart…) is wrapped, and the wrapper parses every response
 * header into an object first, even those nobody reads. Against the reference partner that costs
 * 2–7 µs a request, up to a fifth of the load mode's whole cost. So this speaks the Client's own
 * interface, which undici 7 still supports in full; test/http and the hostile catalogue cover every
 * path on real sockets. A class, so that a request allocates one handler and no closures.
 */
class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly got: Attempt;
  /** Links of the InFlight list. */
  prev: AttemptHandler | undefined;
  next: AttemptHandler | undefined;
  private received = 0;
  private settled = false;
  private abort: ((reason?: Error) => void) | undefined;
  // Set when we give up before undici handed us the abort function (still connecting or queued).
  private abortOnStart: Error | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly req: AttemptRequest,
    private readonly inFlight: InFlight,
    private readonly resolve: (got: Attempt) => void,
  ) {
    this.got = { status: 0, rawHeaders: [], body: new BodyBuffer(req.maxBytes, req.keepBytes) };
    // One deadline for connect + headers + the whole body: undici's headersTimeout and bodyTimeout
    // restart on every byte, so a partner dripping a byte a second would never trip them alone.
    this.timer = setTimeout(expire, Math.max(0, req.deadline - performance.now()), this);
    inFlight.add(this);
  }

  settle(error?: HttpError): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.inFlight.delete(this);
    if (error) this.got.error = error;
    this.resolve(this.got);
  }

  expire(): void {
    this.giveUp(classifyError({}, true, this.req.timeoutMs));
  }

  /** Stops the attempt: its deadline passed, or the run is cancelled. */
  giveUp(error: HttpError): void {
    if (this.settled) return;
    // Settle first: aborting makes undici call onError at once, with a vaguer error.
    this.settle(error);
    const reason = new Error(error.message);
    if (this.abort) this.abort(reason);
    else this.abortOnStart = reason;
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    if (this.abortOnStart) abort(this.abortOnStart);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx interim answers are not the answer; undici passes them through here.
    if (statusCode < 200 || this.settled) return true;
    this.got.headersMs = performance.now() - this.req.t0;
    this.got.status = statusCode;
    this.got.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    const { req, got } = this;
    this.received += chunk.length;
    if (this.received > req.maxBytes) {
      const keep = chunk.length - (this.received - req.maxBytes);
      if (keep > 0) got.body.add(chunk.subarray(0, keep), got.rawHeaders);
      const error = {
        code: 'too-large',
        message: `response body exceeded the ${req.maxBytes}-byte cap; read stopped`,
      };
      this.settle(error);
      this.abort?.(new Error(error.message));
      return true;
    }
    got.body.add(chunk, got.rawHeaders);
    return true;
  }

  onComplete(): void {
    this.settle();
  }

  onError(err: Error): void {
    this.settle(classifyError(err, false, this.req.timeoutMs));
  }
}

function expire(handler: AttemptHandler): void {
  handler.expire();
}
