/**
 * Peak memory of a whole run against hostile partners: `node --import tsx bench/memory.bench.ts`.
 * Each partner (bench/hostile-partners.ts) runs in this process on loopback; the real CLI runs in a
 * child process with bench/max-rss.mjs preloaded, which reports the child's peak RSS at exit. Prints
 * the median of a few runs per partner and fails when any median is above the bound.
 *   MEMORY_BENCH_RUNS (default 3), MEMORY_BENCH_MODES (default all, e.g. `entries,links`),
 *   MEMORY_BENCH_RUN_TIMEOUT_MS (default 90000: what a run keeps is bounded, so a longer run of the
 *   same partner reaches no higher peak; the run timeout also keeps the benchmark short)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  TENANTS,
  hostileModes,
  startHostilePartner,
  type HostileMode,
} from './hostile-partners.js';

const BOUND_MB = 300;
const runs = Number(process.env.MEMORY_BENCH_RUNS ?? 3);
const modes = (process.env.MEMORY_BENCH_MODES?.split(',') ?? hostileModes) as HostileMode[];
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const preload = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));

interface RunMeasure {
  exitCode: number | null;
  maxRssMb: number;
  seconds: number;
  requests: number;
}

async function measure(mode: HostileMode): Promise<RunMeasure> {
  const partner = await startHostilePartner(mode);
  const out = mkdtempSync(join(tmpdir(), 'fhir-certify-memory-'));
  const started = performance.now();
  try {
    const args = [
      '--import',
      preload,
      cli,
      'run',
      '--base-url',
      partner.baseUrl,
      '--client-id',
      CLIENT_ID,
      ...TENANTS.flatMap((t) => ['--tenant', t]),
      '--allow-insecure-http',
      '--fhir-version',
      'stu3',
      // Fewer latency samples keep the benchmark short; samples are never kept, so memory is the same.
      '--samples',
      '3',
      '--concurrency',
      '2',
      '--run-timeout',
      process.env.MEMORY_BENCH_RUN_TIMEOUT_MS ?? '90000',
      '--out',
      out,
      '--format',
      'json',
      '--quiet',
    ];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, FHIR_CERTIFY_CLIENT_SECRET: CLIENT_SECRET, CI: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const kib = /fhir-certify-bench max-rss-kib (\d+)/.exec(stderr)?.[1];
    if (!kib) throw new Error(`${mode}: the run reported no peak RSS (exit ${exitCode}):\n${stderr}`);
    return {
      exitCode,
      maxRssMb: Number(kib) / 1024,
      seconds: (performance.now() - started) / 1000,
      requests: partner.requests(),
    };
  } finally {
    await partner.close();
    rmSync(out, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

let worst = 0;
for (const mode of modes) {
  const measures: RunMeasure[] = [];
  for (let i = 0; i < runs; i++) measures.push(await measure(mode));
  const mid = median(measures.map((m) => m.maxRssMb));
  worst = Math.max(worst, mid);
  console.log(
    `${mode.padEnd(8)} peak RSS median ${mid.toFixed(0)} MB (runs: ${measures
      .map(
        (m) =>
          `${m.maxRssMb.toFixed(0)} MB/${m.seconds.toFixed(0)} s/${m.requests} requests/exit ${m.exitCode}`,
      )
      .join(', ')})`,
  );
  const bad = measures.find((m) => m.exitCode !== 1);
  if (bad) {
    console.log(`${mode}: the run exited ${bad.exitCode}; a hostile partner must give exit 1`);
    process.exitCode = 1;
  }
}
console.log(
  `worst median peak RSS ${worst.toFixed(0)} MB; bound ${BOUND_MB} MB: ${worst <= BOUND_MB ? 'met' : 'NOT met'}`,
);
if (worst > BOUND_MB) process.exitCode = 1;
