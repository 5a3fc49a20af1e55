/**
 * The one HTTP client of a run. Real sockets through one undici Agent (connection reuse), a hard
 * deadline per request covering connect, headers and body, a response size cap, no redirects followed
 * (so an Authorization header never reaches another origin), timing per exchange, and evidence that
 * is masked the moment it is captured. It never throws for anything a partner does: every failure is
 * an Exchange with `error` set.
 */
import { rootCertificates } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { Evidence } from '../report/model.js';
import type { Exchange, HttpError, HttpRequest, JsonResult } from './exchange.js';
import { classifyError } from './errors.js';
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

const DEFAULT_EVIDENCE_BODY = 4096;

export class HttpClient implements Http {
  private readonly agent: Agent;
  private readonly evidenceBodyBytes: number;

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
      keepAliveTimeout: 10_000,
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

  async request(req: HttpRequest): Promise<Exchange> {
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {
      accept: 'application/fhir+json, application/json+fhir;q=0.9, application/json;q=0.8',
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
    const refused = this.refuse(req.url);
    if (refused) return this.finish(req, method, headers, body, startedAt, t0, { error: refused });

    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const maxBytes = req.maxBytes ?? this.options.maxResponseBytes;
    const deadline = AbortSignal.timeout(timeoutMs);
    let status = 0;
    let responseHeaders: Record<string, string> = {};
    let headersMs: number | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let error: HttpError | undefined;
    try {
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: method as 'GET',
        headers,
        body,
        signal: deadline,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      headersMs = performance.now() - t0;
      status = res.statusCode;
      responseHeaders = flattenHeaders(res.headers);
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > maxBytes) {
          const keep = chunk.length - (received - maxBytes);
          if (keep > 0) chunks.push(chunk.subarray(0, keep));
          res.body.destroy();
          error = {
            code: 'too-large',
            message: `response body exceeded the ${maxBytes}-byte cap; read stopped`,
          };
          break;
        }
        chunks.push(chunk);
      }
    } catch (err) {
      error = classifyError(err, deadline.aborted, timeoutMs);
    }
    return this.finish(req, method, headers, body, startedAt, t0, {
      status,
      headers: responseHeaders,
      headersMs,
      body: Buffer.concat(chunks),
      error,
    });
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private refuse(url: string): HttpError | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { code: 'bad-url', message: `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}` };
    }
    if (parsed.protocol === 'https:') return undefined;
    if (parsed.protocol === 'http:') {
      return this.options.allowInsecureHttp
        ? undefined
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
        parsed ??= parseJson(exchange.text, status);
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

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
