/**
 * What came back for one request: the Exchange a check sees. A class, not an object literal of
 * closures, because the load mode makes tens of thousands a second and reads only status and timings:
 * the text, the parsed JSON, the masked evidence and the ISO start time are built on first use, and
 * shared methods cost no allocation per answer.
 */
import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH, nestingBeyond } from '../json/nesting.js';
import type { Evidence } from '../core/model.js';
import type { Exchange, ExchangeTiming, HttpError, JsonResult } from './exchange.js';
import { headersOf, headerValue, type RawHeaders } from './raw-headers.js';
import type { Redactor } from './redact.js';

/** The request as it was sent (headers and body unmasked: masked only when evidence is made). */
export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What the wire gave, whole or in part. */
export interface Received {
  status?: number;
  rawHeaders?: RawHeaders;
  headersMs?: number;
  body?: Buffer;
  /** The whole body's length, when `body` holds only its head (a head-only request). */
  bodyBytes?: number;
  error?: HttpError;
  note?: string;
}

/** How evidence is made: who masks it and how much of each body it keeps. */
export interface EvidencePolicy {
  redactor: Redactor;
  bodyBytes: number;
}

const EMPTY = Buffer.alloc(0);

export class Answer implements Exchange {
  readonly status: number;
  readonly body: Buffer;
  readonly error: HttpError | undefined;
  readonly redirect: { location: string; crossOrigin: boolean } | undefined;
  readonly timing: ExchangeTiming;
  readonly serverMs: number | undefined;
  private decodedHeaders: Record<string, string> | undefined;
  private decoded: string | undefined;
  private parsed: JsonResult | undefined;
  private captured: Evidence | undefined;

  constructor(
    private readonly sent: Sent,
    private readonly got: Received,
    timing: ExchangeTiming,
    private readonly policy: EvidencePolicy,
  ) {
    this.status = got.status ?? 0;
    this.body = got.body ?? EMPTY;
    this.error = got.error;
    this.timing = timing;
    const location = this.status >= 300 && this.status < 400 ? this.headers.location : undefined;
    this.redirect = location ? redirectOf(sent.url, location) : undefined;
    this.serverMs = got.rawHeaders ? serverTiming(headerValue(got.rawHeaders, 'server-timing')) : undefined;
  }

  /** Lower-case names; repeated headers joined with `, `. */
  get headers(): Record<string, string> {
    this.decodedHeaders ??= headersOf(this.got.rawHeaders ?? []);
    return this.decodedHeaders;
  }

  get text(): string {
    this.decoded ??= this.body.toString('utf8');
    return this.decoded;
  }

  json(): JsonResult {
    // The text made only to parse is not kept: a 20 MiB body would otherwise be held three times
    // over (bytes, text, parsed value) for as long as the answer lives.
    this.parsed ??=
      incomplete(this.error) ??
      headOnly(this.body, this.got.bodyBytes) ??
      notJson(this.body, this.headers) ??
      tooDeep(this.body) ??
      parseJson(this.decoded ?? this.body.toString('utf8'), this.status);
    return this.parsed;
  }

  /** Masked on first read; the client reads it at once for every exchange a check will report. */
  get evidence(): Evidence {
    this.captured ??= this.capture();
    return this.captured;
  }

  private capture(): Evidence {
    const { sent, got, policy, status, body, error, redirect, timing } = this;
    const { redactor, bodyBytes } = policy;
    const wholeBytes = got.bodyBytes ?? body.length;
    return {
      request: {
        method: sent.method,
        url: redactor.mask(sent.url),
        headers: redactor.maskHeaders(sent.headers),
        ...(sent.body !== undefined
          ? { body: maskedPreview(redactor, sent.body, sent.body.length, bodyBytes) }
          : {}),
      },
      ...(status
        ? {
            response: {
              status,
              headers: redactor.maskHeaders(this.headers),
              body:
                wholeBytes > body.length
                  ? maskedHeadPreview(redactor, body, wholeBytes, bodyBytes)
                  : maskedBodyPreview(redactor, body, this.decoded, bodyBytes),
              bodyBytes: wholeBytes,
              ...(wholeBytes > bodyBytes || error?.code === 'too-large' ? { truncated: true } : {}),
            },
          }
        : {}),
      timing: {
        startedAt: new Date(timing.startedAtMs).toISOString(),
        ...(timing.headersMs !== undefined ? { headersMs: timing.headersMs } : {}),
        totalMs: timing.totalMs,
      },
      ...(error ? { error: { code: error.code, message: redactor.mask(error.message) } } : {}),
      ...(redirect
        ? { redirect: { location: redactor.mask(redirect.location), crossOrigin: redirect.crossOrigin } }
        : {}),
      ...(got.note ? { note: got.note } : {}),
    };
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

/** Only the head of the body was kept (the answer was only timed): it is not there to parse. */
function headOnly(body: Buffer, wholeBytes: number | undefined): JsonResult | undefined {
  return wholeBytes !== undefined && wholeBytes > body.length
    ? { ok: false, reason: `only the first ${body.length} of the body's ${wholeBytes} bytes were kept` }
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

function tooDeep(body: Buffer): JsonResult | undefined {
  // Fewer bytes than levels cannot nest that deep: most answers are never scanned.
  if (body.length <= MAX_JSON_DEPTH) return undefined;
  const deep = nestingBeyond(body, MAX_JSON_DEPTH);
  return deep
    ? {
        ok: false,
        reason: `the body nests deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels of arrays and objects (past byte offset ${deep.offset}); it was not parsed`,
      }
    : undefined;
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

/**
 * The first `max` characters of a text of `total` characters, masked; `head` holds at least the first
 * `max + redactor.reach` of them. Masking runs over that stretch past the cut first: a credential
 * that straddles the cut would otherwise be cut in two before masking and its first part kept.
 */
function maskedPreview(redactor: Redactor, head: string, total: number, max: number): string {
  if (total <= max) return redactor.mask(head);
  const masked = redactor.mask(head.slice(0, max + redactor.reach));
  return `${masked.slice(0, max)}…[${total - max} more characters]`;
}

/**
 * The masked preview of a body without decoding all of it: the evidence keeps 4 KiB, and decoding a
 * 20 MiB body to cut it would allocate 20 MiB more for every answer a check reports.
 */
function maskedBodyPreview(
  redactor: Redactor,
  body: Buffer,
  decoded: string | undefined,
  max: number,
): string {
  const { head, total } =
    decoded !== undefined ? { head: decoded, total: decoded.length } : headOf(body, max + redactor.reach);
  return maskedPreview(redactor, head, total, max);
}

/**
 * The masked preview of a body of which only `head` was kept (it holds at least `max + reach`
 * characters, see HttpClient.headBytes): the length left is told in bytes, as the rest was counted,
 * not decoded.
 */
function maskedHeadPreview(redactor: Redactor, head: Buffer, wholeBytes: number, max: number): string {
  const text = head.toString('utf8');
  const masked = redactor.mask(text.slice(0, max + redactor.reach)).slice(0, max);
  const shown = Buffer.byteLength(text.slice(0, max), 'utf8');
  return `${masked}…[${wholeBytes - shown} more bytes]`;
}

/** The first `max` characters of the body's text, unmasked, decoding only what they need. */
export function bodyPreview(body: Buffer, max: number): string {
  const { head, total } = headOf(body, max);
  return preview(head, max, total);
}

/**
 * At least the first `chars` characters of the body's text (all of it when short), and the length of
 * the whole text. No UTF-16 unit takes more than 3 bytes of UTF-8, so that many bytes hold them.
 */
function headOf(body: Buffer, chars: number): { head: string; total: number } {
  const bytes = chars * 3 + 3;
  if (body.length <= bytes) {
    const text = body.toString('utf8');
    return { head: text, total: text.length };
  }
  return { head: body.toString('utf8', 0, bytes), total: utf16Length(body) };
}

function preview(head: string, max: number, total: number): string {
  return total > max ? `${head.slice(0, max)}…[${total - max} more characters]` : head;
}

/**
 * The length the bytes have once decoded, a megabyte at a time rather than all at once. Each piece
 * ends before a UTF-8 continuation byte, so no character is split between two pieces.
 */
function utf16Length(bytes: Buffer): number {
  const step = 1 << 20;
  let units = 0;
  for (let start = 0; start < bytes.length;) {
    let end = Math.min(start + step, bytes.length);
    for (let back = 0; back < 3 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80; back++) end--;
    units += bytes.toString('utf8', start, end).length;
    start = end;
  }
  return units;
}

function redirectOf(from: string, location: string): { location: string; crossOrigin: boolean } {
  try {
    const target = new URL(location, from);
    return { location: target.toString(), crossOrigin: target.origin !== new URL(from).origin };
  } catch {
    return { location, crossOrigin: true };
  }
}

function digitsAndDots(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return false;
  }
  return text.length > from;
}

const SERVER_TIMING_APP = /(?:^|,)\s*app;[^,]*dur=([\d.]+)/;

/** The `app` metric's `dur` from a Server-Timing header, in ms. */
export function serverTiming(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  // The usual form, `app;dur=0.291` alone, read without the regular expression (this runs for every
  // load-mode answer); anything else, the expression decides.
  if (header.startsWith('app;dur=') && digitsAndDots(header, 8)) return Number(header.slice(8));
  const match = SERVER_TIMING_APP.exec(header);
  return match ? Number(match[1]) : undefined;
}
