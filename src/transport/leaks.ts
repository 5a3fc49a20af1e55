/**
 * Internal details an error answer must not carry (SEC-03): stack traces of the common server stacks,
 * exception class names, SQL error text and server file paths. Patterns are case-sensitive where the
 * lower-case word is legitimate FHIR (`exception` is an OperationOutcome issue code).
 */
const PATTERNS: Array<[kind: string, pattern: RegExp]> = [
  ['a JavaScript stack frame', /\bat (?:[\w$.<>[\]]+ )?\(?(?:\/|[A-Za-z]:\\|node:|file:)[^\s)]*:\d+:\d+\)?/],
  ['a JavaScript stack frame', /\bat Object\.<anonymous>|\bat process\.processTicksAndRejections/],
  ['a Python traceback', /Traceback \(most recent call last\)|File "[^"]+", line \d+/],
  [
    'a Java or .NET stack frame',
    /\bat [\w$]+(?:\.[\w$<>]+)+\((?:[\w$]+\.(?:java|kt|scala)|Native Method|Unknown Source)(?::\d+)?\)/,
  ],
  ['a .NET stack frame', /\bat [\w.`<>]+\([^)]*\) in [^\s]+:line \d+/],
  ['an exception class name', /\b(?:[A-Z][A-Za-z0-9]*\.)*[A-Z][A-Za-z0-9]*Exception\b|\bException:/],
  ['a JavaScript error name with detail', /\b(?:TypeError|ReferenceError|SyntaxError|RangeError): /],
  [
    'SQL error text',
    /You have an error in your SQL syntax|\bORA-\d{5}\b|\bSQLSTATE\b|syntax error at or near|unterminated quoted string|\bPG::\w+Error|psycopg2?\.|Microsoft OLE DB|Incorrect syntax near|SQLite(?:3)?::|sqlite3\.OperationalError/,
  ],
  [
    'a server file path',
    /(?:^|[\s"'(=])(?:\/(?:srv|home|usr|var|opt|app|src|root|etc)\/[\w@.\-/]+|[A-Za-z]:\\(?:[\w. -]+\\)+[\w. -]*)/,
  ],
  ['a PHP error', /\bPHP (?:Fatal|Warning|Notice)\b|on line \d+ in \//],
];

export interface Leak {
  kind: string;
  /** The matched text, cut short. */
  excerpt: string;
}

export function findInternalDetails(text: string): Leak | undefined {
  for (const [kind, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return { kind, excerpt: match[0].trim().slice(0, 80) };
  }
  return undefined;
}
