/**
 * Response writing and body reading for the reference partner. Every answer goes through `send`, which
 * stamps `Server-Timing` with the server's own handling time (any configured or fault delay included),
 * so the harness can tell its own overhead from the server's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  startedAt: number;
  /** Extra milliseconds to wait before answering (delayMs option plus LAT-* faults). */
  delayMs: number;
  /** Set when the response has been handed to `send`, so error handlers never answer twice. */
  answered: boolean;
  /** Send the body as several chunks (Transfer-Encoding: chunked) instead of with Content-Length. */
  chunked?: boolean;
}

/** Chunks of a chunked body: small enough that any answer of the reference partner takes several. */
const CHUNK_CHARS = 4096;

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge(`request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}

export function send(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  body: string,
  extraDelayMs = 0,
): void {
  if (ex.answered) return;
  ex.answered = true;
  const delay = ex.delayMs + extraDelayMs;
  const write = (): void => {
    const { res } = ex;
    if (res.destroyed) return;
    const dur = performance.now() - ex.startedAt;
    res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Server-Timing', `app;dur=${dur.toFixed(3)}`);
    if (ex.chunked && body.length > 0) {
      // Without Content-Length node frames the body as chunked, one chunk per write.
      for (let at = 0; at < body.length; at += CHUNK_CHARS) res.write(body.slice(at, at + CHUNK_CHARS));
      res.end();
      return;
    }
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  };
  if (delay <= 0) return write();
  // Node timers can fire up to a millisecond early against performance.now(); a partner that promises
  // D ms must never answer sooner, so an early wake-up waits out the rest.
  const due = performance.now() + delay;
  const wake = (): void => {
    const left = due - performance.now();
    if (left > 0) setTimeout(wake, Math.ceil(left));
    else write();
  };
  setTimeout(wake, delay);
}

export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'security'
  | 'login'
  | 'expired'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'too-long'
  | 'too-costly'
  | 'exception'
  | 'throttled'
  | 'transient'
  | 'processing';

/** A fake but plausible stack, for the SEC-03 fault only. */
const LEAKED_STACK =
  "TypeError: Cannot read properties of undefined (reading 'resourceType')\n" +
  '    at FhirRouter.dispatch (/srv/partner/node_modules/fhir-router/lib/router.js:212:17)\n' +
  '    at Server.handle (/srv/partner/src/server.js:88:22)\n' +
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';

export function operationOutcome(
  code: IssueCode,
  diagnostics: string,
  leakStack = false,
  style: 'diagnostics' | 'details' = 'diagnostics',
): string {
  if (style === 'details' && !leakStack) {
    return JSON.stringify({
      resourceType: 'OperationOutcome',
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml">${diagnostics.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</div>`,
      },
      issue: [{ severity: 'error', code, details: { text: diagnostics } }],
    });
  }
  return JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code,
        diagnostics: leakStack ? `${diagnostics}\n${LEAKED_STACK}` : diagnostics,
      },
    ],
  });
}

/** A request target's path segments (percent-decoded) and raw query; undefined when a segment does not decode. */
export function splitUrl(url: string): { segments: string[]; query: string } | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  try {
    return {
      segments: path
        .split('/')
        .filter((s) => s !== '')
        .map((s) => decodeURIComponent(s)),
      query: q < 0 ? '' : url.slice(q + 1),
    };
  } catch {
    return undefined;
  }
}
