/**
 * The one HTTP client of a run. Real sockets through one undici Agent (connection reuse), a hard
 * deadline per request covering connect, headers and body, a response size cap, no redirects followed
 * (so an Authorization header never reaches another origin), timing per exchange, and evidence that
 * is masked the moment it is captured. It never throws for anything a partner does: every failure is
 * an Exchange with `error` set.
 */
import { rootCertificates } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { Evidence } from '../core/model.js';
import { Answer, type EvidencePolicy, type Received, type Sent } from './answer.js';
import type { Exchange, ExchangeTiming, HttpError, HttpRequest } from './exchange.js';
import { InFlight, sendAttempt, type AttemptRequest } from './send.js';
import type { Redactor } from './redact.js';

export interface HttpClientOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  redactor: Redactor;
  allowInsecureHttp: boolean;
  /** PEM text of an extra trusted CA, added to the system store. */
  ca?: string;
  /** How much of each body the evidence keeps. */
  evidenceBodyBytes?: number;
  connectionsPerOrigin?: number;
  userAgent?: string;
}

export interface Http {
  request(req: HttpRequest): Promise<Exchange>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD']);

const DEFAULT_EVIDENCE_BODY = 4096;
const DEFAULT_CONNECTIONS = 64;
const HEAD_BYTES_MIN = 64 * 1024;

/** The headers every request starts with (bench/load.bench.ts gives autocannon the same). */
export function baseHeaders(userAgent = 'fhir-certify'): Record<string, string> {
  return {
    accept: 'application/fhir+json, application/json+fhir;q=0.9, application/json;q=0.8',
    // Said out loud, so a partner that compresses anyway is plainly at fault: bodies are never
    // decompressed here (no decompression bomb can inflate past the size cap).
    'accept-encoding': 'identity',
    'user-agent': userAgent,
  };
}

/** Parsed targets kept per URL string: the load mode sends the same few URLs tens of thousands of times. */
const TARGET_CACHE_SIZE = 256;

export class HttpClient implements Http {
  private readonly agent: Agent;
  private readonly evidencePolicy: EvidencePolicy;
  private readonly userAgent: string;
  /** Set by `cancelAll`: in-flight requests stop and new ones are not sent. */
  private cancelReason: string | undefined;
  private readonly inFlight = new InFlight();
  private readonly targets = new Map<string, Target | HttpError>();
  /** The last bearer token and its header: the load mode sends one token thousands of times. */
  private lastBearer: { token: string; header: string } = { token: '', header: '' };
  /** One Agent per simulated user of the load mode, each with one connection per origin. */
  private readonly lanes: Agent[] = [];

  constructor(private readonly options: HttpClientOptions) {
    this.evidencePolicy = {
      redactor: options.redactor,
      bodyBytes: options.evidenceBodyBytes ?? DEFAULT_EVIDENCE_BODY,
    };
    this.userAgent = options.userAgent ?? 'fhir-certify';
    this.agent = this.newAgent(options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS);
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  /** A view of this client that records every non-quiet exchange into `sink`. */
  scoped(sink: Evidence[]): Http {
    return {
      request: async (req) => {
        const exchange = await this.request(req);
        if (!req.quiet) sink.push(exchange.evidence);
        return exchange;
      },
    };
  }

  /**
   * Stops every request in flight and refuses new ones (the whole-run timeout). A check the engine has
   * given up on may still be running; without this its requests would hold the run open for up to a
   * per-request timeout each, and `close()` would wait for them.
   */
  cancelAll(reason: string): void {
    if (this.cancelReason !== undefined) return;
    this.cancelReason = reason;
    const error = this.cancelledError()!;
    this.inFlight.giveUpAll(error);
  }

  async request(req: HttpRequest): Promise<Exchange> {
    const method = req.method === undefined ? 'GET' : req.method.toUpperCase();
    const headers = baseHeaders(this.userAgent);
    if (req.headers) for (const name in req.headers) headers[name.toLowerCase()] = req.headers[name]!;
    let body = req.body;
    if (req.form) {
      body = new URLSearchParams(
        Object.entries(req.form).filter((e): e is [string, string] => e[1] !== undefined),
      ).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/fhir+json';
    }
    if (req.bearer !== undefined) headers.authorization = this.authorization(req.bearer);

    const sent: Sent = { url: req.url, method, headers, body };
    const startedAtMs = Date.now();
    const t0 = performance.now();
    const target = this.cancelledError() ?? this.target(req.url);
    if ('code' in target) return this.answer(req, sent, startedAtMs, t0, { error: target });

    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const attempt: AttemptRequest = {
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body,
      timeoutMs,
      maxBytes: req.maxBytes ?? this.options.maxResponseBytes,
      t0,
      deadline: t0 + timeoutMs,
      keepBytes: req.headOnly ? this.headBytes() : undefined,
    };
    const agent = this.agentFor(req.lane);
    let got = await sendAttempt(agent, attempt, this.inFlight);
    // A reused keep-alive socket that the partner closed while idle fails before any answer; every
    // HTTP client retries an idempotent request once on a fresh connection in that case, and so do we,
    // and a request its caller marks resendable.
    const retried =
      got.error?.code === 'reset' &&
      got.status === 0 &&
      (IDEMPOTENT.has(method) || req.resendable === true) &&
      !this.cancelledError() &&
      performance.now() < attempt.deadline;
    if (retried) got = await sendAttempt(agent, attempt, this.inFlight);

    const received: Received = {
      status: got.status,
      rawHeaders: got.rawHeaders,
      headersMs: got.headersMs,
      body: got.body.bytes(),
      error: got.error,
    };
    if (req.headOnly) received.bodyBytes = got.body.length;
    if (retried) {
      received.note =
        'the first attempt was reset before any answer (a stale keep-alive connection?) and was retried once';
    }
    return this.answer(req, sent, startedAtMs, t0, received);
  }

  async close(): Promise<void> {
    await Promise.all([this.agent, ...this.lanes].map((agent) => agent.close().catch(() => undefined)));
  }

  private newAgent(connections: number): Agent {
    return new Agent({
      connect: {
        timeout: this.options.timeoutMs,
        // Node replaces the system store when `ca` is given, so the extra CA is added to it instead.
        ...(this.options.ca ? { ca: [...rootCertificates, this.options.ca] } : {}),
      },
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      // Below the 5 s that Node and many servers close idle sockets after, so a socket we reuse is
      // rarely one the partner is closing at that very moment (see the retry in request()).
      keepAliveTimeout: 4_000,
      // With one connection undici's Agent drives a Client directly, without a Pool choosing one.
      connections,
    });
  }

  /**
   * The load mode's user `lane` sends on a connection of its own, as a user of the app waits on one
   * request at a time. Besides being the model, it is cheaper: the shared Agent's Pool costs ~4 µs a
   * request choosing a free connection (bench/load.bench.ts). Beyond the connection cap, users share.
   */
  private agentFor(lane: number | undefined): Agent {
    if (lane === undefined) return this.agent;
    const index = lane % (this.options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS);
    return (this.lanes[index] ??= this.newAgent(1));
  }

  /**
   * The bytes a head-only answer keeps: enough for the evidence's preview and the masking past its cut
   * (see maskedBodyPreview), with room for tokens issued later, whose forms reach further.
   */
  private headBytes(): number {
    return Math.max(HEAD_BYTES_MIN, (this.evidencePolicy.bodyBytes + this.options.redactor.reach) * 3 + 3);
  }

  private cancelledError(): HttpError | undefined {
    if (this.cancelReason === undefined) return undefined;
    return { code: 'aborted', message: `not completed: ${this.cancelReason}` };
  }

  private authorization(token: string): string {
    if (token !== this.lastBearer.token) this.lastBearer = { token, header: `Bearer ${token}` };
    return this.lastBearer.header;
  }

  /** parseTarget, once per URL string. */
  private target(url: string): Target | HttpError {
    let target = this.targets.get(url);
    if (target === undefined) {
      if (this.targets.size >= TARGET_CACHE_SIZE) this.targets.clear();
      target = parseTarget(url, this.options.allowInsecureHttp);
      this.targets.set(url, target);
    }
    return target;
  }

  private answer(req: HttpRequest, sent: Sent, startedAtMs: number, t0: number, got: Received): Exchange {
    const timing: ExchangeTiming = { startedAtMs, totalMs: round(performance.now() - t0) };
    if (got.headersMs !== undefined) timing.headersMs = round(got.headersMs);
    const answer = new Answer(sent, got, timing, this.evidencePolicy);
    // Evidence a check will report is masked now, while only this client has seen the raw bytes.
    if (!req.quiet) void answer.evidence;
    return answer;
  }
}

interface Target {
  origin: string;
  /** Path and query. */
  path: string;
}

/** Where to send, or why it is not sent. */
function parseTarget(url: string, allowInsecureHttp: boolean): Target | HttpError {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { code: 'bad-url', message: `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}` };
  }
  const target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  if (parsed.protocol === 'https:') return target;
  if (parsed.protocol === 'http:') {
    return allowInsecureHttp
      ? target
      : {
          code: 'insecure-http',
          message: `refused to send a request over plain http (${parsed.origin}); pass --allow-insecure-http for local testing`,
        };
  }
  return { code: 'bad-url', message: `unsupported URL scheme ${parsed.protocol}` };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
