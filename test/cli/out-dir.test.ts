/**
 * `--out` is checked before the first request, and a write that fails at the end still leaves the
 * console summary and says which file could not be written. Read-only and full file systems are real
 * tmpfs mounts (the machines run as root); where mounting is not allowed those cases are skipped and
 * say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { runCli } from '../helpers/cli.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { SECRET, TENANT_A, runArgs, startMiniPartner } from '../hostile/mini-partner.js';

const scratch = mkdtempSync(join(tmpdir(), 'fhir-certify-out-'));
const mounts: string[] = [];

function mountTmpfs(options: string): string | undefined {
  const point = mkdtempSync(join(scratch, 'mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(point);
  return point;
}
const canMount = mountTmpfs('size=16k') !== undefined;
const mountReason = 'needs permission to mount a tmpfs (root)';

afterAll(() => {
  for (const point of mounts.reverse()) execFileSync('umount', ['-l', point], { stdio: 'ignore' });
  rmSync(scratch, { recursive: true, force: true });
});

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

async function runTo(out: string, extra: Parameters<typeof startMiniPartner>[0] = {}) {
  partner = await startMiniPartner(extra);
  const run = await runCli(
    [...runArgs(partner.baseUrl, [TENANT_A]), '--only', 'META', '--out', out],
    { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
    false,
  );
  return { ...run, requests: partner.requests.length };
}

describe('--out is checked before the first request', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    [
      'an existing file',
      () => {
        const file = join(scratch, 'a-file');
        writeFileSync(file, 'x');
        return file;
      },
      /exists and is not a directory/,
    ],
    [
      'a folder below a file',
      () => {
        const file = join(scratch, 'another-file');
        writeFileSync(file, 'x');
        return join(file, 'reports');
      },
      /another-file is a file, not a directory/,
    ],
    ['/dev/null', () => '/dev/null', /\/dev holds the kernel's and devices' files/],
    ['/proc/self, which used to hang', () => '/proc/self', /\/proc holds the kernel's/],
    ['/sys/kernel', () => '/sys/kernel', /\/sys holds/],
  ];
  for (const [name, path, reason] of cases) {
    it(`refuses ${name} with exit 2, the path and the reason, and sends nothing`, async () => {
      const out = path();
      const run = await runTo(out);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--out ${out}`);
      expect(run.stderr).toMatch(reason);
      expect(run.requests).toBe(0);
    });
  }

  it.skipIf(!canMount)(`refuses a read-only file system, naming it (${mountReason})`, async () => {
    const point = mountTmpfs('ro,size=64k')!;
    const run = await runTo(join(point, 'nested', 'reports'));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/read-only \(EROFS\)/);
    expect(run.requests).toBe(0);
  });

  it.skipIf(!canMount)(`refuses a full file system, naming it (${mountReason})`, async () => {
    const point = mountTmpfs('size=32k')!;
    try {
      writeFileSync(join(point, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // Full: that was the point.
    }
    const run = await runTo(join(point, 'reports'));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/no space left/);
    expect(run.requests).toBe(0);
  });

  it('creates a missing directory and leaves no probe file in it', async () => {
    const out = join(scratch, 'new', 'reports');
    const run = await runTo(out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.report).toBeUndefined(); // runCli looks in its own folder; ours holds the one run
    const [dir] = readdirSync(out);
    expect(readdirSync(join(out, dir!)).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'summary.md',
    ]);
  });
});

describe('a write that fails at the end', () => {
  it.skipIf(!canMount)(
    `still prints the summary, names each file, and exits 2 when nothing was written (${mountReason})`,
    async () => {
      const point = mountTmpfs('size=128k')!;
      const out = join(point, 'reports');
      mkdirSync(out);
      // The partner fills the disk while the run is under way: the check before it passed.
      const run = await runTo(out, {
        extra: [
          http.get('*/fhir/metadata', () => {
            try {
              writeFileSync(join(point, 'filler'), Buffer.alloc(256 * 1024));
            } catch {
              // The disk is full now.
            }
            return HttpResponse.json({ resourceType: 'OperationOutcome' }, { status: 500 });
          }),
        ],
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toMatch(/NOT CERTIFIED/);
      expect(run.stdout).toMatch(/Could not write .*report\.json: no space left on the device \(ENOSPC\)/);
      expect(run.stdout).not.toMatch(/^Reports:/m);
      const [dir] = readdirSync(out);
      expect(dir === undefined || readdirSync(join(out, dir)).length === 0).toBe(true);
    },
  );
});
