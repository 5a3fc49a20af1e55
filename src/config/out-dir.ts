/**
 * `--out` is checked before the first request: a run of several minutes must not end with nowhere to
 * put its report. The folder must be a writable directory (created if missing) on a real file system
 * with room for a small file.
 */
import { constants as fsConstants } from 'node:fs';
import { mkdir, realpath, stat, statfs, unlink, writeFile, access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { reasonOf } from '../core/fs-errors.js';
import { ConfigError } from '../core/config-error.js';

/** Kernel and device trees: writes there hang, vanish or do something else than store a file. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs magic numbers of file systems that hold no files (proc, sysfs, debugfs, cgroup, cgroup2). */
const SPECIAL_TYPES = new Set([0x9fa0, 0x62656572, 0x64626720, 0x27e0eb, 0x63677270]);
/** About what the smallest report needs; a disk that cannot take this cannot take the report. */
const PROBE_BYTES = 64 * 1024;
/** A network or special mount that does not answer must not hang the run before it starts. */
const DEFAULT_BOUND_MS = 5000;

export async function checkOutDir(dir: string, boundMs = DEFAULT_BOUND_MS): Promise<void> {
  const absolute = resolve(dir);
  refuseSpecial(dir, absolute);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ConfigError(`--out ${dir}: the file system did not answer within ${boundMs} ms`)),
      boundMs,
    );
  });
  try {
    await Promise.race([probe(dir, absolute), bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function probe(dir: string, absolute: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new ConfigError(`--out ${dir}: ${why}; choose a writable directory`);
  };
  try {
    await mkdir(absolute, { recursive: true });
  } catch (err) {
    refuse(await mkdirFailure(absolute, err));
  }
  const real = await realpath(absolute);
  refuseSpecial(dir, real);
  if (!(await stat(real)).isDirectory()) refuse('it exists and is not a directory');
  if (SPECIAL_TYPES.has((await statfs(real)).type)) refuse('it is on a special file system, not a disk');
  const file = join(real, `.fhir-certify-probe-${process.pid}`);
  try {
    await writeFile(file, Buffer.alloc(PROBE_BYTES));
  } catch (err) {
    await unlink(file).catch(() => undefined);
    refuse(`a test file could not be written: ${reasonOf(err)}`);
  }
  await unlink(file);
}

function refuseSpecial(dir: string, path: string): void {
  const root = SPECIAL_ROOTS.find((r) => path === r || path.startsWith(`${r}/`));
  if (root) {
    throw new ConfigError(
      `--out ${dir}: ${root} holds the kernel's and devices' files, not report files; choose a directory on disk`,
    );
  }
}

/**
 * mkdir -p reports the last step's error, which is often ENOENT even when the real cause is higher
 * up (a read-only or full file system, a file in the way): the nearest existing ancestor says why.
 */
async function mkdirFailure(absolute: string, err: unknown): Promise<string> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return 'it exists and is not a directory';
  let ancestor = dirname(absolute);
  while (ancestor !== dirname(ancestor)) {
    const found = await stat(ancestor).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) return `${ancestor} is a file, not a directory`;
      try {
        await access(ancestor, fsConstants.W_OK);
      } catch (denied) {
        return `${ancestor} cannot be written: ${reasonOf(denied)}`;
      }
      const fs = await statfs(ancestor).catch(() => undefined);
      if (fs && fs.bavail === 0) return `no space left on the device of ${ancestor}`;
      break;
    }
    ancestor = dirname(ancestor);
  }
  return `the directory could not be created: ${reasonOf(err)}`;
}
