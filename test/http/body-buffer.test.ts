import { describe, expect, it } from 'vitest';
import { BodyBuffer } from '../../src/http/body-buffer.js';
import type { RawHeaders } from '../../src/http/raw-headers.js';

const MIB = 1024 * 1024;

function pieces(total: number, size: number): Buffer[] {
  const whole = Buffer.alloc(total);
  for (let i = 0; i < total; i++) whole[i] = i % 251;
  const out: Buffer[] = [];
  // Copies, as a socket hands over separate chunks.
  for (let at = 0; at < total; at += size) out.push(Buffer.from(whole.subarray(at, at + size)));
  return out;
}

function fill(body: BodyBuffer, chunks: Buffer[], headers: RawHeaders = []): Buffer {
  for (const chunk of chunks) body.add(chunk, headers);
  return body.bytes();
}

describe('BodyBuffer', () => {
  it('keeps a small body as it came: one chunk as is, a few joined', () => {
    const one = Buffer.from('{"resourceType":"Patient"}');
    expect(fill(new BodyBuffer(MIB), [one])).toBe(one);
    const two = [Buffer.from('{"a":'), Buffer.from('1}')];
    expect(fill(new BodyBuffer(MIB), two).toString()).toBe('{"a":1}');
  });

  it.each([
    ['an announced length', [Buffer.from('content-length'), Buffer.from(String(3 * MIB + 17))]],
    ['no announced length', []],
  ])(
    'gathers a large body with %s byte for byte, in a block returned to the system when freed',
    (_n, headers) => {
      const chunks = pieces(3 * MIB + 17, 64 * 1024);
      const body = new BodyBuffer(20 * MIB);
      const bytes = fill(body, chunks, headers);
      expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
      expect(body.length).toBe(3 * MIB + 17);
      // Over glibc's 32 MiB bound, so malloc maps it on its own (see body-buffer.ts).
      expect(bytes.buffer.byteLength).toBeGreaterThan(32 * MIB);
    },
  );

  it('allocates nothing for an announced length past the cap, or one the body already passed', () => {
    for (const announced of [String(1 << 30), '10', 'x', '5, 5']) {
      const chunks = pieces(MIB, 64 * 1024);
      const bytes = fill(new BodyBuffer(2 * MIB), chunks, [
        Buffer.from('content-length'),
        Buffer.from(announced),
      ]);
      expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
      expect(bytes.buffer.byteLength).toBeLessThan(1 << 30);
    }
  });

  it('with `keep`, keeps only that many leading bytes and counts every byte', () => {
    const chunks = pieces(5 * MIB, 64 * 1024);
    const body = new BodyBuffer(20 * MIB, 100_000);
    const bytes = fill(body, chunks);
    expect(body.length).toBe(5 * MIB);
    expect(bytes.equals(Buffer.concat(chunks).subarray(0, 100_000))).toBe(true);
  });
});
