/**
 * The timings of a series as columns of numbers, not one object per request. The load mode can keep
 * hundreds of thousands of samples: as objects that is ~120 bytes each on the JavaScript heap
 * (measured), promoted to the old generation and walked by every full collection; as columns it is
 * 26 bytes each outside the heap, and a Float64Array sorts for the percentiles without a comparator.
 * A missing time to first byte or server time is NaN.
 */
import type { Sample } from './sampler.js';

const INITIAL = 64;

/** What a series keeps of each sample (failures are counted on the series, with the first one's story). */
export type Timing = Pick<Sample, 'totalMs' | 'headersMs' | 'serverMs' | 'status'>;

export class Timings implements Iterable<Timing> {
  length = 0;
  private total = new Float64Array(INITIAL);
  private headers = new Float64Array(INITIAL);
  private server = new Float64Array(INITIAL);
  private status = new Uint16Array(INITIAL);

  add(sample: Timing): void {
    if (this.length === this.total.length) this.grow();
    const i = this.length++;
    this.total[i] = sample.totalMs;
    this.headers[i] = sample.headersMs ?? Number.NaN;
    this.server[i] = sample.serverMs ?? Number.NaN;
    this.status[i] = sample.status;
  }

  /** Every sample's total time, in the order taken. */
  totals(): Float64Array {
    return this.total.subarray(0, this.length);
  }

  /** The times to first byte of the samples that got response headers. */
  headersMs(): Float64Array {
    return present(this.headers.subarray(0, this.length));
  }

  /** The server-reported times of the samples that carried one. */
  serverMs(): Float64Array {
    return present(this.server.subarray(0, this.length));
  }

  at(i: number): Timing | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const sample: Timing = { totalMs: this.total[i]!, status: this.status[i]! };
    if (!Number.isNaN(this.headers[i]!)) sample.headersMs = this.headers[i]!;
    if (!Number.isNaN(this.server[i]!)) sample.serverMs = this.server[i]!;
    return sample;
  }

  *[Symbol.iterator](): Iterator<Timing> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  /** Several series' timings as one (LAT-06 judges each interaction class over all its series). */
  static concat(parts: readonly Timings[]): Timings {
    const out = new Timings();
    const n = parts.reduce((sum, p) => sum + p.length, 0);
    out.total = new Float64Array(Math.max(INITIAL, n));
    out.headers = new Float64Array(out.total.length);
    out.server = new Float64Array(out.total.length);
    out.status = new Uint16Array(out.total.length);
    for (const p of parts) {
      out.total.set(p.total.subarray(0, p.length), out.length);
      out.headers.set(p.headers.subarray(0, p.length), out.length);
      out.server.set(p.server.subarray(0, p.length), out.length);
      out.status.set(p.status.subarray(0, p.length), out.length);
      out.length += p.length;
    }
    return out;
  }

  private grow(): void {
    const size = this.total.length * 2;
    this.total = grown(this.total, new Float64Array(size));
    this.headers = grown(this.headers, new Float64Array(size));
    this.server = grown(this.server, new Float64Array(size));
    this.status = grown(this.status, new Uint16Array(size));
  }
}

function grown<T extends Float64Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function present(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}
