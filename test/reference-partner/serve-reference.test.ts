/** `fhir-certify serve-reference` in-process (list, usage errors) and as a real process (serve, stop). */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { ExitRequest } from '../../src/cli/io.js';
import { serveReferenceCommand } from '../../src/cli/commands/serve-reference.js';
import { main } from '../../src/cli/program.js';
import { listFaults, listVariations } from '../../src/reference-partner/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    isTTY: false,
  };
}

async function run(args: string[], sink = io()): Promise<{ code: number; sink: typeof sink }> {
  const program = new Command('fhir-certify')
    .exitOverride()
    .addCommand(serveReferenceCommand(sink).exitOverride());
  try {
    await program.parseAsync(['serve-reference', ...args], { from: 'user' });
    return { code: 0, sink };
  } catch (err) {
    if (err instanceof ExitRequest) return { code: err.code, sink };
    throw err;
  }
}

describe('serve-reference', () => {
  it('--list-faults prints every fault and its description', async () => {
    const { code, sink } = await run(['--list-faults']);
    expect(code).toBe(0);
    const text = sink.out.join('');
    for (const f of listFaults()) expect(text).toContain(f.name);
    expect(text).toContain('the token response echoes client_secret');
  });

  it('--list-variations prints every variation of the unusual variant with why it is legal', async () => {
    const { code, sink } = await run(['--list-variations']);
    expect(code).toBe(0);
    const text = sink.out.join('');
    for (const v of listVariations()) {
      expect(text).toContain(v.id);
      expect(text).toContain(`legal: ${v.why}`);
    }
  });

  it('refuses an unknown variant with exit 2 and names the valid ones', async () => {
    const sink = io();
    const code = await main(['serve-reference', '--variant', 'weird'], sink);
    expect(code).toBe(2);
    expect(sink.err.join('')).toMatch(/unknown variant "weird"; valid variants: standard, unusual/);
  });

  it('refuses an unknown fault with exit 2 and says how to list them', async () => {
    const sink = io();
    const code = await main(['serve-reference', '--fault', 'META-99'], sink);
    expect(code).toBe(2);
    expect(sink.err.join('')).toMatch(/unknown fault "META-99".*--list-faults/);
  });

  it('serves until SIGTERM, prints where the secret is but never the secret', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test/reference-partner/serve-reference.main.ts'),
        '--port',
        '0',
        '--patients',
        '3',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, FHIR_CERTIFY_CLIENT_SECRET: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!out.includes('Press Ctrl+C') && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Press Ctrl+C');
    const file = /client secret: in (\S+) \(mode 0600/.exec(out)?.[1];
    expect(file).toBeDefined();
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file!, 'utf8');
    expect(out).not.toContain(secret);
    expect(out).toContain(`export FHIR_CERTIFY_CLIENT_SECRET="$(cat '${file!}')"`);
    expect(out).toMatch(
      /fhir-certify run --base-url http:\/\/127\.0\.0\.1:\d+\/stu3 --client-id \S+ --tenant \S+ --tenant \S+ --allow-insecure-http/,
    );
    const base = /STU3 base: +(\S+)/.exec(out)![1]!;
    const tokenUrl = /token URL: +(\S+)/.exec(out)![1]!;
    const clientId = /client id: +(\S+)/.exec(out)![1]!;
    const tenant = /tenant A: +(\S+)/.exec(out)![1]!;
    const tok = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        scope: tenant,
      }),
    });
    const { access_token } = (await tok.json()) as { access_token: string };
    const r = await fetch(`${base}/Patient`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await r.json()) as { total: number }).total).toBe(3);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(file!)).toBe(false);
  }, 40_000);
});
