/**
 * `fhir-certify validate` on searchset Bundles of 10 000, 50 000 and 100 000 STU3 Patients:
 * `node --import tsx bench/validate-scaling.bench.ts`. Auto-detection validates each file against
 * DSTU2 first, where every entry has errors; that path was quadratic (ajv's error concatenation).
 * Prints the median time per file and the time per entry relative to 10 000 entries (1.0 = linear).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runValidate } from '../src/cli/commands/validate.js';

const sizes = [10_000, 50_000, 100_000];
const runs = Number(process.env.VALIDATE_BENCH_RUNS ?? 3);
const LINEAR_ENOUGH = 1.5;
const fixture = fileURLToPath(new URL('../test/fixtures/fhir/stu3/patient.json', import.meta.url));
const patient = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-validate-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// The files are larger than the default --max-file-bytes: this measures time, not the cap.
const maxFileBytes = 1 << 30;

try {
  const perEntry: number[] = [];
  for (const n of sizes) {
    const file = join(dir, `bundle-${n}.json`);
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: n,
      entry: Array.from({ length: n }, (_, i) => ({
        fullUrl: `https://fhir.example.org/Patient/p${i}`,
        resource: { ...patient, id: `p${i}` },
        search: { mode: 'match' },
      })),
    };
    writeFileSync(file, JSON.stringify(bundle));
    // The first Bundle also warms the JIT up for the code paths of large Bundles: not timed.
    if (n === sizes[0]) await runValidate([file], { maxFileBytes });
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const out = await runValidate([file], { maxFileBytes });
      times.push(performance.now() - t);
      if (out.exitCode !== 0) throw new Error(`the ${n}-entry Bundle is not valid: ${out.output}`);
    }
    const ms = median(times);
    perEntry.push(ms / n);
    const ratio = perEntry.at(-1)! / perEntry[0]!;
    console.log(
      `${n.toLocaleString('en-US').padStart(7)} entries: ${(ms / 1000).toFixed(2)} s (median of ${runs}), ${((ms * 1000) / n).toFixed(1)} µs per entry, ${ratio.toFixed(2)}× the per-entry time at ${sizes[0]!.toLocaleString('en-US')}`,
    );
  }
  const worst = Math.max(...perEntry) / perEntry[0]!;
  console.log(
    `linear: ${worst <= LINEAR_ENOUGH ? 'yes' : 'NO'} (worst per-entry ratio ${worst.toFixed(2)}, bound ${LINEAR_ENOUGH})`,
  );
  if (worst > LINEAR_ENOUGH) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
