// Preloaded into the CLI process by bench/memory.bench.ts (node --import): at exit, prints the
// process's peak resident set size on stderr, where the benchmark reads it.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nfhir-certify-bench max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
