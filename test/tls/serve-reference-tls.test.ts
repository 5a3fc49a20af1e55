/** `serve-reference --tls` makes its own CA, prints where it is, and a run trusting it passes SEC-01/02. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serveReferenceCommand } from '../../src/cli/commands/serve-reference.js';
import { rowsOf, runCli } from '../helpers/cli.js';

describe('serve-reference --tls (no openssl needed)', () => {
  it('serves HTTPS, prints the CA file for --ca, and removes it on stop', async () => {
    let stdout = '';
    let stderr = '';
    const secret = 'serve-reference-tls-secret-0123';
    const command = serveReferenceCommand({
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: { FHIR_CERTIFY_CLIENT_SECRET: secret },
      isTTY: false,
    });
    command.exitOverride();
    const serving = command.parseAsync(['--tls', '--port', '0'], { from: 'user' });
    for (let i = 0; i < 200 && !stdout.includes('Press Ctrl+C'); i++)
      await new Promise((r) => setTimeout(r, 25));
    try {
      expect(stderr).toBe('');
      const base = /STU3 base:\s+(\S+)/.exec(stdout)?.[1];
      const caPath = /CA file:\s+(\S+)/.exec(stdout)?.[1];
      expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/stu3$/);
      expect(stdout).toMatch(/--ca '.*ca\.pem'/);
      expect(existsSync(caPath!)).toBe(true);
      const run = await runCli(['run', '--base-url', base!, '--only', 'SEC-01,SEC-02', '--ca', caPath!]);
      expect(rowsOf(run.report, 'SEC-01').map((r) => r.status)).toEqual(['pass', 'pass']);
      expect(rowsOf(run.report, 'SEC-02').map((r) => r.status)).toEqual(['pass', 'pass']);
      expect(stdout).not.toContain(secret);
      process.emit('SIGINT');
      await serving;
      expect(existsSync(caPath!)).toBe(false);
    } finally {
      process.emit('SIGINT');
      await serving.catch(() => undefined);
    }
  });
});
