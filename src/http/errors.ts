/** Turns whatever undici or the socket threw into a short, stable code and a sentence. */
import type { HttpError } from './exchange.js';

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ERR_TLS|EPROTO/;

export function classifyError(err: unknown, deadlineHit: boolean, timeoutMs: number): HttpError {
  const e = err as {
    code?: string;
    name?: string;
    constructor?: { name?: string };
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const code = e.code ?? e.cause?.code ?? '';
  const message = e.message ?? String(err);
  if (deadlineHit || e.name === 'TimeoutError') {
    return { code: 'timeout', message: `no complete answer within the ${timeoutMs} ms request timeout` };
  }
  // undici's HTTPParserError carries no `code` (llhttp's HPE_* name is only in the message), so a bad
  // chunk size, a garbage status line or an overflowing chunk would otherwise read as a network error.
  if (e.name === 'HTTPParserError' || e.constructor?.name === 'HTTPParserError') {
    return { code: 'protocol', message: `the answer is not valid HTTP (${message})` };
  }
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { code: 'headers-timeout', message: `no response headers within ${timeoutMs} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'body-timeout', message: `the body stalled for more than ${timeoutMs} ms` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'timeout', message: `could not connect within ${timeoutMs} ms` };
    case 'ECONNREFUSED':
      return { code: 'refused', message: 'connection refused: nothing listens at that address' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return {
        code: 'reset',
        message: `the connection was closed or reset before the answer was complete (${message})`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'dns', message: `the host name does not resolve (${message})` };
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return { code: 'too-large', message };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return {
        code: 'too-large',
        message: `the response headers exceed undici's header size limit (${message})`,
      };
    // Content-Length that disagrees with the framing (e.g. with Transfer-Encoding: chunked as well).
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'UND_ERR_INFO':
      return { code: 'protocol', message: `the answer is not valid HTTP (${message})` };
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return { code: 'aborted', message: 'the request was aborted' };
  }
  if (TLS_CODES.test(code)) return { code: 'tls', message: `TLS failed: ${code} ${message}`.trim() };
  if (code.startsWith('HPE_'))
    return { code: 'protocol', message: `the answer is not valid HTTP (${message})` };
  return { code: 'network', message: `${code ? `${code}: ` : ''}${message}` };
}
