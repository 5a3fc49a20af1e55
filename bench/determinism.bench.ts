/**
 * Determinism: consecutive full runs (every requirement, in-process through the CLI's `run`) against
 * the reference partner, standard and unusual, DSTU2 and STU3, must give identical row statuses. A
 * row is known by its requirement, subject and position; any run whose statuses differ from the
 * first run of its configuration is printed with the rows that moved.
 *   node --import tsx bench/determinism.bench.ts [runs per configuration, default 20]
 */
import type { FhirVersion, Variant } from '../src/reference-partner/index.js';
import type { Report } from '../src/core/model.js';
import { fullRun } from '../test/reference-partner/full-run.js';

const runs = Number(process.argv[2] ?? process.env.DETERMINISM_RUNS ?? 20);
if (!Number.isInteger(runs) || runs < 2)
  throw new Error(`runs must be an integer ≥ 2, got ${process.argv[2]}`);

/** One line per row: what it is and how it ended. */
function statuses(report: Report): string[] {
  const seen = new Map<string, number>();
  return report.checks.map((c) => {
    const key = `${c.requirement} ${c.subject ?? ''}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${key} #${n}: ${c.status}`;
  });
}

function differences(a: string[], b: string[]): string[] {
  const left = new Set(a);
  const right = new Set(b);
  return [
    ...a.filter((x) => !right.has(x)).map((x) => `- ${x}`),
    ...b.filter((x) => !left.has(x)).map((x) => `+ ${x}`),
  ];
}

const configurations: Array<{ variant: Variant; version: FhirVersion }> = [
  { variant: 'standard', version: 'dstu2' },
  { variant: 'standard', version: 'stu3' },
  { variant: 'unusual', version: 'dstu2' },
  { variant: 'unusual', version: 'stu3' },
];

let allIdentical = true;
for (const { variant, version } of configurations) {
  let first: string[] | undefined;
  let counts = '';
  let identical = 0;
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { report } = await fullRun(version, { variant });
    durations.push(performance.now() - started);
    const now = statuses(report);
    if (!first) {
      first = now;
      const tally = new Map<string, number>();
      for (const c of report.checks) tally.set(c.status, (tally.get(c.status) ?? 0) + 1);
      counts = [...tally].map(([status, n]) => `${n} ${status}`).join(', ');
      identical++;
      continue;
    }
    const moved = differences(first, now);
    if (moved.length === 0) identical++;
    else {
      allIdentical = false;
      console.log(`${variant} ${version} run ${i + 1} differs from run 1:\n  ${moved.join('\n  ')}`);
    }
  }
  durations.sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)]!;
  console.log(
    `${variant.padEnd(8)} ${version}: ${identical} of ${runs} runs with identical row statuses ` +
      `(${first!.length} rows: ${counts}; median run ${(median / 1000).toFixed(1)} s)`,
  );
}
console.log(allIdentical ? 'deterministic: every run matched its first' : 'NOT deterministic');
process.exit(allIdentical ? 0 : 1);
