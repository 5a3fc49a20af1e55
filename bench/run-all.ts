/**
 * Runs every bench/*.bench.ts in turn, each in its own process (so one's JIT, heap and sockets do not
 * colour the next), and stops with a non-zero exit when one fails.
 *   node --import tsx bench/run-all.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`${file} failed (exit ${run.status ?? run.signal})`);
  }
}
console.log(`\n${benches.length - failed} of ${benches.length} benchmarks ran`);
process.exit(failed ? 1 : 0);
