/** One request and what came back, as a check sees it: the raw answer plus its masked evidence. */
import type { Evidence } from '../core/model.js';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A raw body; `form` and `json` set the body and its content type for you. */
  body?: string;
  form?: Record<string, string | undefined>;
  json?: unknown;
  /** Bearer token: sent as `Authorization: Bearer …`, always masked in evidence. */
  bearer?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Keep this exchange out of the check's evidence (latency samples). */
  quiet?: boolean;
  /**
   * The answer is only timed, never read (latency samples): only the head of the body that evidence
   * shows is kept, the rest is counted. `json()` then says the body was not kept.
   */
  headOnly?: boolean;
  /** The load mode's simulated user: each sends on a connection of its own. */
  lane?: number;
  /**
   * Sending twice is harmless (the harness renewing its own token): like a GET, the request is sent
   * once more when a reused connection is reset before any answer.
   */
  resendable?: boolean;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

export interface HttpError {
  /** timeout | headers-timeout | body-timeout | reset | refused | too-large | tls | dns | aborted | network */
  code: string;
  message: string;
}

export interface ExchangeTiming {
  /** Wall-clock start, epoch milliseconds (the evidence shows it as an ISO time). */
  startedAtMs: number;
  /** Milliseconds from send to the response headers. */
  headersMs?: number;
  /** Milliseconds from send to the last body byte, or to the failure. */
  totalMs: number;
}

export interface Exchange {
  /** 0 when no HTTP answer arrived. */
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** Parsed once on first call; a failure says why in one line. */
  json(): JsonResult;
  error?: HttpError;
  redirect?: { location: string; crossOrigin: boolean };
  timing: ExchangeTiming;
  /** Server-reported handling time from a `Server-Timing: app;dur=…` header, when present. */
  serverMs?: number;
  evidence: Evidence;
}

/**
 * What a check keeps of an answer for later checks: status, headers and masked evidence, but not the
 * body, which may be 20 MiB and its parsed value as much again.
 */
export type KeptAnswer = Pick<Exchange, 'status' | 'headers' | 'evidence'>;

export function keptAnswer(exchange: Exchange): KeptAnswer {
  return { status: exchange.status, headers: exchange.headers, evidence: exchange.evidence };
}

export function contentType(exchange: Pick<Exchange, 'headers'>): string {
  return (exchange.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A short description of what came back, for messages: `HTTP 500`, `timeout after 10000 ms`… */
export function describe(exchange: Exchange): string {
  if (exchange.error) return `${exchange.error.code}: ${exchange.error.message}`;
  if (exchange.redirect) {
    return `HTTP ${exchange.status} redirect to ${exchange.redirect.crossOrigin ? 'another origin' : 'the same origin'} (${exchange.redirect.location}), not followed`;
  }
  return `HTTP ${exchange.status}${exchange.headers['content-type'] ? ` (${exchange.headers['content-type']})` : ''}`;
}
