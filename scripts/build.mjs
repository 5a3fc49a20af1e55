// Builds dist/ from src/ and suites/, running the code generators first. With --if-needed it does
// nothing when dist is newer than every input, so `npm test` and `npm run demo` stay fast after the
// first build. A build starts from an empty dist/, so a deleted source file never lingers in a package.
// --without-dev-ok is for npm's `prepare`: an install that left out devDependencies (no TypeScript)
// cannot build, and that is not an error there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const inputs = [
  'src',
  'suites',
  'profiles',
  'scripts',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

/**
 * Generated JavaScript modules (the FHIR validators) are plain ESM that TypeScript neither checks nor
 * emits: they go into dist beside the compiled code that imports them.
 */
function copyGeneratedModules(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    if (entry.name !== 'generated') {
      copyGeneratedModules(sub);
      continue;
    }
    for (const name of readdirSync(join(root, sub))) {
      if (!name.endsWith('.js')) continue;
      mkdirSync(join(root, 'dist', sub), { recursive: true });
      copyFileSync(join(root, sub, name), join(root, 'dist', sub, name));
    }
  }
}

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'generated') continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

if (process.argv.includes('--if-needed') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (inputs.every((p) => newest(join(root, p)) <= built)) process.exit(0);
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
if (!existsSync(tsc)) {
  if (process.argv.includes('--without-dev-ok')) {
    console.log('fhir-certify: not building dist/: the devDependencies (TypeScript) are not installed');
    process.exit(0);
  }
  console.error('fhir-certify: cannot build: TypeScript is missing; run "npm ci" first');
  process.exit(1);
}

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// Generators: each writes into src/**/generated/ and skips itself when its output is current.
for (const generator of ['scripts/gen-fhir-schemas.ts']) {
  if (existsSync(join(root, generator))) run(process.execPath, ['--import', 'tsx', generator]);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
mkdirSync(join(root, 'dist'), { recursive: true });
copyGeneratedModules('src');
writeFileSync(stamp, new Date().toISOString());
