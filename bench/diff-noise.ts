/**
 * Is `diff` a gate CI can rely on? Certifies the unchanged reference partner (HTTPS, SEC, META and
 * LAT rows) PAIRS+1 times back to back, diffs each run against the one before, and counts exits
 * other than 0. Then one run of the partner with fault LAT-03 (reads 1000 ms late) must exit 1.
 *   node --import tsx bench/diff-noise.ts [pairs, default 20]
 * Exits 1 when any unchanged pair regressed or the slowdown was missed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiff } from '../src/cli/commands/diff.js';
import { main } from '../src/cli/program.js';
import { startReferencePartner, type ReferencePartner } from '../src/reference-partner/index.js';
import { createTestPki } from '../src/reference-partner/tls.js';

const pairs = Math.min(100, Math.max(1, Number(process.argv[2] ?? 20)));
const pki = await createTestPki();
const out = mkdtempSync(join(tmpdir(), 'fhir-certify-diff-noise-'));

async function certify(partner: ReferencePartner): Promise<string> {
  const dir = mkdtempSync(join(out, 'run-'));
  const sink = (): void => undefined;
  await main(
    [
      'run',
      ...['--base-url', partner.baseUrl('stu3'), '--client-id', partner.clientId],
      ...partner.tenants.flatMap((t) => ['--tenant', t]),
      ...['--only', 'SEC,META,LAT', '--samples', '5', '--concurrency', '2', '--ca', pki.caPath],
      ...['--format', 'json', '--quiet', '--out', dir],
    ],
    { stdout: sink, stderr: sink, env: { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret }, isTTY: false },
  );
  return join(dir, readdirSync(dir)[0]!, 'report.json');
}

async function exitOf(baseline: string, current: string): Promise<{ code: number; summary: string }> {
  const r = await runDiff([baseline, current]);
  return { code: r.exitCode, summary: r.stdout.trim().split('\n').at(-1) ?? r.stderr.trim() };
}

let failures = 0;
try {
  const partner = await startReferencePartner({ tls: { key: pki.key, cert: pki.cert } });
  let previous = await certify(partner);
  const codes: number[] = [];
  for (let i = 1; i <= pairs; i++) {
    const current = await certify(partner);
    const { code, summary } = await exitOf(previous, current);
    codes.push(code);
    if (code !== 0) failures += 1;
    console.log(`pair ${String(i).padStart(2)}: exit ${code}  ${summary}`);
    previous = current;
  }
  await partner.close();
  console.log(`unchanged partner: ${codes.filter((c) => c === 0).length} of ${pairs} pairs exit 0`);

  const slow = await startReferencePartner({ faults: ['LAT-03'], tls: { key: pki.key, cert: pki.cert } });
  const { code, summary } = await exitOf(previous, await certify(slow));
  await slow.close();
  console.log(`fault LAT-03 (reads 1000 ms late): exit ${code}  ${summary}`);
  if (code !== 1) failures += 1;
} finally {
  rmSync(out, { recursive: true, force: true });
  pki.dispose();
}
process.exit(failures > 0 ? 1 : 0);
