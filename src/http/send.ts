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
import { pairsOf, type HeaderFields, type RawHeaders } from './raw-headers.js';

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
 * Written to undici 7's controller interface. Its Client still drives the older one underneath, so
 * every dispatcher wraps a handler like this (dispatcher-base.js, handler/unwrap-handler.js), and the
 * wrapper builds an object of every response header before onResponseStart is called. That costs
 * ~2 µs of CPU a response with the reference partner's six headers (paired blocks on loopback: the
 * same as calling undici's parseHeaders ourselves), whoever reads them; no dispatcher avoids it, and
 * undici's own request() and fetch() still use the older interface. The part left to us stays cheap:
 * the wrapper also leaves the parser's name/value pairs on `controller.rawHeaders`, and the attempt
 * keeps that very array, so nothing is copied or decoded a second time (raw-headers.ts decodes on
 * first read; the load mode reads only Server-Timing). test/http and the hostile catalogue cover every
 * path on real sockets. A class, so that a request allocates one handler and no closures.
 */
class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly got: Attempt;
  /** Links of the InFlight list. */
  prev: AttemptHandler | undefined;
  next: AttemptHandler | undefined;
  private received = 0;
  private settled = false;
  private controller: Dispatcher.DispatchController | undefined;
  // Set when we give up before undici handed us the controller (still connecting or queued).
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
    // Settle first: aborting makes undici report an error at once, a vaguer one.
    this.settle(error);
    const reason = new Error(error.message);
    if (this.controller) this.controller.abort(reason);
    else this.abortOnStart = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortOnStart) controller.abort(this.abortOnStart);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: HeaderFields,
  ): void {
    // 1xx interim answers are not the answer; undici passes them through here.
    if (statusCode < 200 || this.settled) return;
    this.got.headersMs = performance.now() - this.req.t0;
    this.got.status = statusCode;
    const raw = controller.rawHeaders;
    this.got.rawHeaders = Array.isArray(raw) ? raw : pairsOf(headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
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
      controller.abort(new Error(error.message));
      return;
    }
    got.body.add(chunk, got.rawHeaders);
  }

  onResponseEnd(): void {
    this.settle();
  }

  // The controller is absent when the request failed before it had a connection (refused, DNS).
  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    this.settle(classifyError(err, false, this.req.timeoutMs));
  }
}

function expire(handler: AttemptHandler): void {
  handler.expire();
}
