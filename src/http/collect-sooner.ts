/**
 * V8 lets the old generation grow to up to four times what was live after the last full collection
 * before it collects again. Each answer near the 20 MiB response cap leaves its text and parsed value
 * behind (tens of megabytes), so against a partner answering that much a run's heap held up to
 * 150 MB of dead answers more than it kept (bench/memory.bench.ts, `--trace-gc`). Once a body that
 * large arrives, V8 is asked to grow the heap by half of what is live instead: more frequent
 * collections, in a run whose answers dwarf their cost. Runs with ordinary answers never change it.
 * A growing factor is no limit: it cannot make a run that needs more memory fail.
 */
import { setFlagsFromString } from 'node:v8';

/** Bodies from this size on make the heap grow more slowly. */
export const LARGE_BODY = 1024 * 1024;

let asked = false;

export function collectSooner(): void {
  if (asked) return;
  asked = true;
  setFlagsFromString('--heap-growing-percent=50');
}
