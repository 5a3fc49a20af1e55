/**
 * The package a user installs: `npm pack` (which builds first, through `prepack`) must ship the CLI
 * and nothing else, and the tarball, installed with no network (the npm cache that `npm ci` filled
 * holds every dependency), must give a working `fhir-certify` anywhere on the disk: --version,
 * --help, and a short run against the reference partner that the installed package serves itself
 * over HTTPS.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), 'fhir-certify-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

/** npm as `npm test` ran it, else the one on the PATH. */
function npm(args: string[], cwd: string): Promise<Ran> {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.js$/.test(cli)
    ? exec(process.execPath, [cli, ...args], cwd)
    : exec('npm', args, cwd);
}

/**
 * A lockfile naming the tarball and every production dependency with the exact version and integrity
 * of the project's own lockfile, so `npm ci --offline` takes each of them from the npm cache and never
 * needs the registry's metadata.
 */
function lockfileFor(tarballName: string, tarball: Buffer, registry: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Record<string, unknown> & { dev?: boolean; link?: boolean }>;
  };
  const own = lock.packages['']!;
  const packages: Record<string, unknown> = {
    '': {
      name: 'fhir-certify-install-check',
      version: '0.0.0',
      dependencies: { [manifest.name]: `file:${tarballName}` },
    },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: `file:${tarballName}`,
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.link === true) continue;
    // The project's lockfile leaves out the registry address; without it npm would ask the registry
    // where each tarball is. The address is the registry's usual one, and the cache finds it by integrity.
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const file = `${name.slice(name.indexOf('/') + 1)}-${String(entry.version)}.tgz`;
    packages[path] = { resolved: `${registry.replace(/\/$/, '')}/${name}/-/${file}`, ...entry };
  }
  return {
    name: 'fhir-certify-install-check',
    version: '0.0.0',
    lockfileVersion: 3,
    requires: true,
    packages,
  };
}

let files: string[] = [];
let tarballBytes = 0;
let bin = '';
let installError = '';

beforeAll(async () => {
  const packed = await npm(['pack', '--json', '--pack-destination', work], root);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = info!.files.map((f) => f.path);
  const tarballPath = join(work, info!.filename);
  tarballBytes = statSync(tarballPath).size;

  const install = join(work, 'install');
  mkdirSync(install);
  renameSync(tarballPath, join(install, info!.filename));
  const tarball = readFileSync(join(install, info!.filename));
  writeFileSync(
    join(install, 'package.json'),
    JSON.stringify({
      name: 'fhir-certify-install-check',
      version: '0.0.0',
      dependencies: { [manifest.name]: `file:${info!.filename}` },
    }),
  );
  const registry = (await npm(['config', 'get', 'registry'], install)).stdout.trim();
  writeFileSync(
    join(install, 'package-lock.json'),
    JSON.stringify(lockfileFor(info!.filename, tarball, registry)),
  );
  const ci = await npm(['ci', '--offline', '--no-audit', '--no-fund'], install);
  if (ci.code !== 0) {
    installError = ci.stderr;
    return;
  }
  // The installed folder works wherever it is put (the air-gapped recipe copies it): move it first.
  const moved = join(work, 'moved elsewhere');
  renameSync(install, moved);
  bin = join(moved, 'node_modules', '.bin', 'fhir-certify');
}, 300_000);

describe('npm pack', () => {
  it('ships the built CLI, the profiles, the schemas and the requirement catalogue, and no sources or tests', () => {
    expect(files).toContain(manifest.bin['fhir-certify']);
    expect(files).toContain('dist/src/fhir/generated/dstu2.validator.js');
    expect(files).toContain('dist/src/fhir/generated/stu3.validator.js');
    expect(files.filter((f) => f.startsWith('dist/suites/')).length).toBeGreaterThan(5);
    expect(files).toEqual(
      expect.arrayContaining(['profiles/patients-app-dstu2.json', 'profiles/profile.schema.json']),
    );
    expect(files).toEqual(
      expect.arrayContaining(['schemas/report.schema.json', 'docs/requirements.md', 'README.md']),
    );
    const unwanted = files.filter(
      (f) =>
        /\.(ts|map)$/.test(f) ||
        /^(src|test|bench|scripts|node_modules|reports)\//.test(f) ||
        f.includes('.build-stamp'),
    );
    expect(unwanted).toEqual([]);
    // Every file is either the compiled program or data it reads at run time.
    expect(
      files.filter(
        (f) =>
          !/^(dist\/(src|suites)\/.*\.js|profiles\/.*\.json|schemas\/.*\.json|docs\/requirements\.md|README\.md|package\.json)$/.test(
            f,
          ),
      ),
    ).toEqual([]);
    expect(tarballBytes).toBeGreaterThan(100_000);
  });
});

describe('the installed package, run from an unrelated folder', () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'fhir-certify-elsewhere-'));
  afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));
  // The npm cache that `npm ci` filled is the only source of the dependencies (ENOTCACHED: run it).
  const installed = (): void => {
    if (installError)
      throw new Error(`installing the tarball with npm ci --offline failed:\n${installError}`);
  };

  it('prints its version and its help', async () => {
    installed();
    const version = await exec(bin, ['--version'], elsewhere);
    expect(version, version.stderr).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
    const help = await exec(bin, ['--help'], elsewhere);
    expect(help.code).toBe(0);
    for (const command of ['run', 'demo', 'serve-reference', 'diff', 'verify', 'validate'])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('serves the reference partner over HTTPS and certifies its capability statement', async () => {
    installed();
    const secret = 'packaged-reference-secret-0123456789';
    const server: ChildProcess = spawn(bin, ['serve-reference', '--tls', '--port', '0'], {
      cwd: elsewhere,
      env: { ...process.env, FHIR_CERTIFY_CLIENT_SECRET: secret, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let banner = '';
    server.stdout!.on('data', (chunk: Buffer) => void (banner += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => void (banner += chunk.toString()));
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    try {
      for (let i = 0; i < 300 && !banner.includes('Press Ctrl+C'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(banner).toContain('Press Ctrl+C');
      expect(banner).not.toMatch(/src\/[\w/]+\.ts/); // it names no file the package does not ship
      const base = /STU3 base:\s+(\S+)/.exec(banner)![1]!;
      const ca = /CA file:\s+(\S+)/.exec(banner)![1]!;
      const run = await exec(
        bin,
        ['run', '--base-url', base, '--only', 'META', '--ca', ca, '--out', 'out', '--quiet'],
        elsewhere,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const [folder] = readdirSync(join(elsewhere, 'out'));
      const report = JSON.parse(readFileSync(join(elsewhere, 'out', folder!, 'report.json'), 'utf8')) as {
        verdict: string;
        checks: Array<{ requirement: string; status: string }>;
      };
      expect(report.verdict).toBe('pass');
      expect(report.checks.filter((c) => c.requirement === 'META-01').map((c) => c.status)).toEqual(['pass']);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
