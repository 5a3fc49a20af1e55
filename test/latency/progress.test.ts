import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/latency/progress.js';

describe('progressLine', () => {
  it('redraws at most every 100 ms, and always draws the last request', () => {
    const lines: string[] = [];
    let t = 0;
    const line = progressLine(
      (s) => lines.push(s),
      'LAT-03 GET Patient/{id}',
      () => t,
    );
    for (let done = 1; done <= 10; done++) {
      t += 30;
      line.update(done, 10);
    }
    expect(lines).toEqual([
      'LAT-03 GET Patient/{id} 1/10 requests (0.0 s)',
      'LAT-03 GET Patient/{id} 5/10 requests (0.1 s)',
      'LAT-03 GET Patient/{id} 9/10 requests (0.3 s)',
      'LAT-03 GET Patient/{id} 10/10 requests (0.3 s)',
    ]);
  });
});
