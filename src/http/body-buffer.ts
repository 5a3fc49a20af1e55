/**
 * Where an attempt puts the body bytes as they arrive. A large body is copied into one buffer of the
 * length its Content-Length announced, as it arrives: holding every socket chunk until the last one
 * and then concatenating them held each large body twice, and the chunks, having lived through a few
 * collections by then, were freed only by a full one. A body only timed (a latency sample) keeps just
 * the head its evidence shows and counts the rest.
 */
import { collectSooner, LARGE_BODY } from './collect-sooner.js';
import { headerValue, type RawHeaders } from './raw-headers.js';

/** Below this, chunks are kept and joined at the end: most answers are a chunk or two. */
const GATHER_FROM = 256 * 1024;

/**
 * glibc's malloc maps a large block on its own and unmaps it when freed, but each time it frees such
 * a block of up to 32 MiB it raises its mapping threshold to that size: after the first 20 MiB body
 * was freed, every later one came from malloc's heap, whose freed space stays resident. Whole runs
 * against a partner answering 20 MiB kept up to 190 MB more than their live heap and buffers that way
 * (bench/memory.bench.ts). A block over 32 MiB never raises the threshold and is always mapped, so a
 * large body is allocated at least that large; the pages past the body are never touched and take
 * no memory.
 */
const ALWAYS_MAPPED = 32 * 1024 * 1024 + 4096;

/** An uninitialised buffer of `size` bytes that is returned to the system when it is freed. */
function mappedBuffer(size: number): Buffer {
  if (size >= LARGE_BODY) collectSooner();
  return Buffer.allocUnsafeSlow(Math.max(size, ALWAYS_MAPPED)).subarray(0, size);
}

export class BodyBuffer {
  /** Body bytes seen, kept or not. */
  length = 0;
  private chunks: Buffer[] = [];
  private gathered: Buffer | undefined;
  private filled = 0;

  /**
   * `maxBytes`: the answer's size cap, so an announced length past it allocates nothing; `keep`: keep
   * only the first this many bytes (undefined keeps all of it).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly keep?: number,
  ) {}

  /** Appends the next bytes; `headers` are the answer's, for the length it announced. */
  add(chunk: Buffer, headers: RawHeaders): void {
    const before = this.length;
    this.length += chunk.length;
    if (this.keep !== undefined) {
      if (before < this.keep) this.chunks.push(chunk.subarray(0, this.keep - before));
      return;
    }
    if (!this.gathered && this.length >= GATHER_FROM) this.gathered = this.gatherInto(headers);
    if (this.gathered && this.filled + chunk.length <= this.gathered.length) {
      this.filled += chunk.copy(this.gathered, this.filled);
      return;
    }
    this.chunks.push(chunk);
  }

  /** The bytes kept, as one buffer. */
  bytes(): Buffer {
    if (!this.gathered) {
      if (this.chunks.length === 1) return this.chunks[0]!;
      const kept = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      if (kept < GATHER_FROM) return Buffer.concat(this.chunks, kept);
      const into = mappedBuffer(kept);
      let at = 0;
      for (const chunk of this.chunks) at += chunk.copy(into, at);
      return into;
    }
    const head = this.gathered.subarray(0, this.filled);
    // Bytes past the announced length (the parser refuses them, but a cut answer may still say so).
    return this.chunks.length === 0 ? head : Buffer.concat([head, ...this.chunks]);
  }

  /** A buffer of the announced length holding the chunks so far, or undefined when none was announced. */
  private gatherInto(headers: RawHeaders): Buffer | undefined {
    const announced = Number(headerValue(headers, 'content-length'));
    if (!Number.isSafeInteger(announced) || announced < this.length || announced > this.maxBytes) {
      return undefined;
    }
    const into = mappedBuffer(announced);
    for (const chunk of this.chunks) this.filled += chunk.copy(into, this.filled);
    this.chunks = [];
    return into;
  }
}
