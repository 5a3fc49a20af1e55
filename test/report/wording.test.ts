/** Counts and durations in row messages read as a person would write them. */
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/report/rows.js';
import { counted } from '../../src/core/wording.js';
import { loadSummary } from '../../suites/latency.js';

describe('wording of counts and durations', () => {
  it('puts the noun in the right number', () => {
    expect(counted(1, 'sample')).toBe('1 sample');
    expect(counted(0, 'sample')).toBe('0 samples');
    expect(counted(2, 'entry', 'entries')).toBe('2 entries');
    expect(counted(1, 'entry', 'entries')).toBe('1 entry');
  });

  it('LAT-06 says how long a fast load phase took, not "0.0 s", and counts in the right number', () => {
    const fast = { requests: 160, users: 4, elapsedMs: 38.4, throughputRps: 4167, errors: 0 };
    expect(loadSummary(fast)).toBe('160 requests from 4 users in 38 ms, 4167 requests/s, 0 errors');
    expect(loadSummary({ ...fast, requests: 1, users: 1, errors: 1, elapsedMs: 4200 })).toBe(
      '1 request from 1 user in 4.2 s, 4167 requests/s, 1 error',
    );
    expect(formatDuration(38.4)).toBe('38 ms');
  });
});
