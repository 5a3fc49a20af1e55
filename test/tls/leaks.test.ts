import { describe, expect, it } from 'vitest';
import { findInternalDetails } from '../../src/transport/leaks.js';

describe('internal details in error bodies (SEC-03)', () => {
  it.each([
    [
      'a Node stack',
      'TypeError: x\n    at Object.<anonymous> (/app/server.js:10:5)',
      /stack frame|error name/,
    ],
    [
      'a Node frame with a path',
      'at FhirRouter.dispatch (/srv/partner/lib/router.js:212:17)',
      /JavaScript stack frame/,
    ],
    ['a Python traceback', 'Traceback (most recent call last):\n  File "/app/x.py", line 3', /Python/],
    ['a Java frame', 'at org.hapi.fhir.Server.handle(Server.java:42)', /Java/],
    ['a .NET exception', 'System.NullReferenceException: Object reference not set', /exception class/],
    ['SQL error text', 'ERROR: syntax error at or near "OR"', /SQL/],
    ['Oracle', 'ORA-00933: SQL command not properly ended', /SQL/],
    ['a Windows path', 'failed reading C:\\inetpub\\wwwroot\\fhir\\web.config', /file path/],
  ])('finds %s', (_name, text, kind) => {
    expect(findInternalDetails(text)?.kind).toMatch(kind);
  });

  it.each([
    [
      'an OperationOutcome with code exception',
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"internal error"}]}',
    ],
    ['a not-found diagnostic', '{"issue":[{"code":"not-found","diagnostics":"Patient/123 is not known"}]}'],
    ['a URL with /app in it', '{"diagnostics":"see https://example.com/app/fhir/help"}'],
    ['an RFC 6749 error', '{"error":"invalid_client","error_description":"client authentication failed"}'],
  ])('leaves %s alone', (_name, text) => {
    expect(findInternalDetails(text)).toBeUndefined();
  });
});
