/**
 * The one HTTP client of a run. Real sockets through one undici Agent (connection reuse), a hard
 * deadline per request covering connect, headers and body, a response size cap, no redirects followed
 * (so an Authorization header never reaches another origin), timing per exchange, and evidence that
 * is masked the moment it is captured. It never throws for anything a partner does: every failure is
 * an Exchange with `error` set.
 */
import { isUtf8 } from 'node:buffer';
import { rootCertificates } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { Evidence } from '../report/model.js';
import type { Exchange, HttpError, HttpRequest, JsonResult } from './exchange.js';
import { sendAttempt, type CancelRegistry } from './send.js';
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

export class HttpClient implements Http {
  private readonly agent: Agent;
  private readonly evidenceBodyBytes: number;
  /** Set by `cancelAll`: in-flight requests stop and new ones are not sent. */
  private cancelReason: string | undefined;
  private readonly inFlight = new Set<(error: HttpError) => void>();
  private readonly register: CancelRegistry = (cancel) => {
    this.inFlight.add(cancel);
    return () => this.inFlight.delete(cancel);
  };

  constructor(private readonly options: HttpClientOptions) {
    this.evidenceBodyBytes = options.evidenceBodyBytes ?? DEFAULT_EVIDENCE_BODY;
    this.agent = new Agent({
      connect: {
        timeout: options.timeoutMs,
        // Node replaces the system store when `ca` is given, so the extra CA is added to it instead.
        ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // Below the 5 s that Node and many servers close idle sockets after, so a socket we reuse is
      // rarely one the partner is closing at that very moment (see the retry in request()).
      keepAliveTimeout: 4_000,
      connections: options.connectionsPerOrigin ?? 64,
    });
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
    for (const cancel of [...this.inFlight]) cancel(error);
  }

  async request(req: HttpRequest): Promise<Exchange> {
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {
      accept: 'application/fhir+json, application/json+fhir;q=0.9, application/json;q=0.8',
      // Said out loud, so a partner that compresses anyway is plainly at fault: bodies are never
      // decompressed here (no decompression bomb can inflate past the size cap).
      'accept-encoding': 'identity',
      'user-agent': this.options.userAgent ?? 'fhir-certify',
      ...lowerKeys(req.headers ?? {}),
    };
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
    if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;

    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const target = this.cancelledError() ?? this.target(req.url);
    if (!(target instanceof URL)) {
      return this.finish(req, method, headers, body, startedAt, t0, { error: target });
    }

    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const attempt = {
      url: target,
      method,
      headers,
      body,
      timeoutMs,
      maxBytes: req.maxBytes ?? this.options.maxResponseBytes,
      t0,
      deadline: t0 + timeoutMs,
    };
    let got = await sendAttempt(this.agent, attempt, this.register);
    // A reused keep-alive socket that the partner closed while idle fails before any answer; every
    // HTTP client retries an idempotent request once on a fresh connection in that case, and so do we.
    const retried =
      got.error?.code === 'reset' &&
      got.status === 0 &&
      IDEMPOTENT.has(method) &&
      !this.cancelledError() &&
      performance.now() < attempt.deadline;
    if (retried) got = await sendAttempt(this.agent, attempt, this.register);

    const { status, responseHeaders, headersMs, chunks, error } = got;
    return this.finish(req, method, headers, body, startedAt, t0, {
      status,
      headers: responseHeaders,
      headersMs,
      body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      error,
      ...(retried
        ? {
            note: 'the first attempt was reset before any answer (a stale keep-alive connection?) and was retried once',
          }
        : {}),
    });
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private cancelledError(): HttpError | undefined {
    if (this.cancelReason === undefined) return undefined;
    return { code: 'aborted', message: `not completed: ${this.cancelReason}` };
  }

  /** The URL to send to, or why it is not sent. */
  private target(url: string): URL | HttpError {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { code: 'bad-url', message: `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}` };
    }
    if (parsed.protocol === 'https:') return parsed;
    if (parsed.protocol === 'http:') {
      return this.options.allowInsecureHttp
        ? parsed
        : {
            code: 'insecure-http',
            message: `refused to send a request over plain http (${parsed.origin}); pass --allow-insecure-http for local testing`,
          };
    }
    return { code: 'bad-url', message: `unsupported URL scheme ${parsed.protocol}` };
  }

  private finish(
    req: HttpRequest,
    method: string,
    requestHeaders: Record<string, string>,
    requestBody: string | undefined,
    startedAt: string,
    t0: number,
    got: {
      status?: number;
      headers?: Record<string, string>;
      headersMs?: number;
      body?: Buffer;
      error?: HttpError;
      note?: string;
    },
  ): Exchange {
    const totalMs = performance.now() - t0;
    const status = got.status ?? 0;
    const headers = got.headers ?? {};
    const body = got.body ?? Buffer.alloc(0);
    let text: string | undefined;
    let parsed: JsonResult | undefined;
    const redirect =
      status >= 300 && status < 400 && headers.location ? redirectOf(req.url, headers.location) : undefined;
    const timing = {
      startedAt,
      ...(got.headersMs !== undefined ? { headersMs: round(got.headersMs) } : {}),
      totalMs: round(totalMs),
    };
    const redactor = this.options.redactor;
    const previewBytes = this.evidenceBodyBytes;
    let evidence: Evidence | undefined;
    const capture = (): Evidence => {
      evidence ??= {
        request: {
          method,
          url: redactor.mask(req.url),
          headers: redactor.maskHeaders(requestHeaders),
          ...(requestBody !== undefined
            ? { body: redactor.mask(preview(requestBody, previewBytes).text) }
            : {}),
        },
        ...(status
          ? {
              response: {
                status,
                headers: redactor.maskHeaders(headers),
                body: redactor.mask(preview(exchange.text, previewBytes).text),
                bodyBytes: body.length,
                ...(body.length > previewBytes || got.error?.code === 'too-large' ? { truncated: true } : {}),
              },
            }
          : {}),
        timing,
        ...(got.error ? { error: { code: got.error.code, message: redactor.mask(got.error.message) } } : {}),
        ...(redirect
          ? { redirect: { location: redactor.mask(redirect.location), crossOrigin: redirect.crossOrigin } }
          : {}),
        ...(got.note ? { note: got.note } : {}),
      };
      return evidence;
    };
    const exchange: Exchange = {
      status,
      headers,
      body,
      get text() {
        text ??= body.toString('utf8');
        return text;
      },
      json() {
        parsed ??= incomplete(got.error) ?? notJson(body, headers) ?? parseJson(exchange.text, status);
        return parsed;
      },
      ...(got.error ? { error: got.error } : {}),
      ...(redirect ? { redirect } : {}),
      timing,
      ...serverTiming(headers),
      get evidence() {
        return capture();
      },
    };
    // Evidence a check will report is masked now, while only this function has seen the raw bytes.
    if (!req.quiet) capture();
    return exchange;
  }
}

/**
 * A status line may have arrived before the answer broke (reset, bad chunk, size cap, deadline): the
 * bytes so far can still parse (`{}` from a cut-off chunked body), and a check that looked only at
 * `status` would then judge a fragment. So a broken answer is never JSON, and says why.
 */
function incomplete(error: HttpError | undefined): JsonResult | undefined {
  return error
    ? { ok: false, reason: `the answer is incomplete (${error.code}: ${error.message})` }
    : undefined;
}

/**
 * Bodies that must not be read as JSON text even if they would parse: bytes in an encoding the
 * harness did not accept (it asked for identity and never inflates), and bytes that are not UTF-8
 * (RFC 8259 §8.1), which decoding would silently turn into U+FFFD and so "repair".
 */
function notJson(body: Buffer, headers: Record<string, string>): JsonResult | undefined {
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return {
      ok: false,
      reason: `the body is Content-Encoding ${JSON.stringify(encoding.slice(0, 40))}, which the harness did not accept (it sends Accept-Encoding: identity) and does not decompress`,
    };
  }
  if (body.length > 0 && !isUtf8(body)) {
    return { ok: false, reason: `the body is not valid UTF-8 (${invalidUtf8At(body)})` };
  }
  return undefined;
}

/** Where the first invalid byte is, for a message a partner can act on. */
function invalidUtf8At(body: Buffer): string {
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const at = decoded.indexOf('\uFFFD');
  if (at < 0) return 'the bytes cannot be decoded';
  const offset = Buffer.byteLength(decoded.slice(0, at), 'utf8');
  const byte = body[offset];
  return `first bad byte 0x${(byte ?? 0).toString(16).padStart(2, '0')} near byte offset ${offset}`;
}

function parseJson(text: string, status: number): JsonResult {
  if (text.length === 0) return { ok: false, reason: status ? 'the body is empty' : 'no response body' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const head = text.trimStart().slice(0, 15).toLowerCase();
    const looks = head.startsWith('<') ? ' (it looks like HTML or XML)' : '';
    return { ok: false, reason: `the body is not valid JSON${looks}: ${(err as Error).message}` };
  }
}

function preview(text: string, max: number): { text: string } {
  return { text: text.length > max ? `${text.slice(0, max)}…[${text.length - max} more characters]` : text };
}

function redirectOf(from: string, location: string): { location: string; crossOrigin: boolean } {
  try {
    const target = new URL(location, from);
    return { location: target.toString(), crossOrigin: target.origin !== new URL(from).origin };
  } catch {
    return { location, crossOrigin: true };
  }
}

function serverTiming(headers: Record<string, string>): { serverMs?: number } {
  const match = /(?:^|,)\s*app;[^,]*dur=([\d.]+)/.exec(headers['server-timing'] ?? '');
  return match ? { serverMs: Number(match[1]) } : {};
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
