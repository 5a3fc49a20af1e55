/**
 * `fhir-certify validate <file|dir>… [--fhir-version auto|dstu2|stu3] [--max-file-bytes n] [--json]`:
 * offline structural validation of FHIR JSON files. Exit 0 when all are valid, 1 when any is invalid,
 * 2 when a path does not exist, a file is over the size cap, or a file is not a FHIR resource in JSON.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FhirVersion } from '../../core/fhir-version.js';
import { MAX_JSON_DEPTH, nestingBeyond } from '../../json/nesting.js';
import { acceptingVersions, loadValidator, validateResource } from '../../fhir/validate.js';
import type { ValidationIssue } from '../../fhir/validate.js';
import { EXIT, ExitRequest, processIo } from '../io.js';
import type { CliIo } from '../io.js';

export interface ValidateOptions {
  fhirVersion?: 'auto' | FhirVersion;
  json?: boolean;
  /** Larger files are refused unread (exit 2); parsing holds several times a file's size. */
  maxFileBytes?: number;
}

/** 64 MiB: a searchset Bundle of about 200 000 Patients. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

function parseByteCount(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError('expected a positive whole number of bytes, e.g. 67108864');
  }
  return Number(raw);
}

export interface FileVerdict {
  file: string;
  resourceType?: string;
  /** The version validated against; null when auto-detection found none, or both, accept the file. */
  version: FhirVersion | null;
  /** Auto-detection only: both versions accept the file and nothing in it says which one it is. */
  validIn?: FhirVersion[];
  valid: boolean;
  issues: ValidationIssue[];
  /** Set when the file could not be validated at all (missing, not JSON, not a resource). */
  error?: string;
}

export interface ValidateOutcome {
  exitCode: 0 | 1 | 2;
  output: string;
  files: FileVerdict[];
}

const shownIssues = 3;

async function collectJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await collectJsonFiles(path)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(path);
  }
  return out;
}

function validateAs(
  resource: unknown,
  requested: 'auto' | FhirVersion,
): Pick<FileVerdict, 'version' | 'issues' | 'validIn'> {
  if (requested !== 'auto') return { version: requested, issues: validateResource(resource, requested) };
  const versions = acceptingVersions(resource);
  if (versions.length === 2) return { version: null, validIn: versions, issues: [] };
  const [only] = versions;
  if (only) return { version: only, issues: validateResource(resource, only) };
  // Neither version accepts it: report against the one it is closer to.
  const d2 = validateResource(resource, 'dstu2');
  const s3 = validateResource(resource, 'stu3');
  return { version: null, issues: s3.length < d2.length ? s3 : d2 };
}

async function validateFile(
  file: string,
  shownAs: string,
  requested: 'auto' | FhirVersion,
  maxFileBytes: number,
): Promise<FileVerdict> {
  const refused = (error: string): FileVerdict => ({
    file: shownAs,
    version: null,
    valid: false,
    issues: [],
    error,
  });
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > maxFileBytes) {
      return refused(
        `the file is ${size} bytes, over the --max-file-bytes cap of ${maxFileBytes}: split it, or raise the cap`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return refused(`cannot read the file (${code})`);
  }
  const deep = nestingBeyond(text, MAX_JSON_DEPTH);
  if (deep) {
    return refused(
      `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects (at character ${deep.offset}): not parsed`,
    );
  }
  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      file: shownAs,
      version: null,
      valid: false,
      issues: [],
      error: `not JSON (${why}): give a FHIR resource in JSON`,
    };
  }
  const resourceType =
    typeof resource === 'object' && resource !== null && !Array.isArray(resource)
      ? (resource as Record<string, unknown>).resourceType
      : undefined;
  if (typeof resourceType !== 'string') {
    return {
      file: shownAs,
      version: null,
      valid: false,
      issues: [],
      error: 'not a FHIR resource: a JSON object with a "resourceType" string is expected',
    };
  }
  // Auto-detection may validate against either version, so it needs both validators.
  await Promise.all((requested === 'auto' ? (['dstu2', 'stu3'] as const) : [requested]).map(loadValidator));
  const { version, issues, validIn } = validateAs(resource, requested);
  return {
    file: shownAs,
    resourceType,
    version,
    ...(validIn ? { validIn } : {}),
    valid: issues.length === 0 && (version !== null || validIn !== undefined),
    issues,
  };
}

function resultText(v: FileVerdict): string {
  if (v.error) return `error: ${v.error}`;
  if (v.valid) return 'valid';
  const lines = v.issues.slice(0, shownIssues).map((i) => `${i.path}: ${i.message}`);
  if (v.issues.length > shownIssues) lines.push(`… and ${v.issues.length - shownIssues} more`);
  return [`${v.issues.length} issue(s)`, ...lines].join('\n');
}

function versionText(v: FileVerdict, requested: 'auto' | FhirVersion): string {
  if (v.error) return '';
  if (v.version) return requested === 'auto' ? `${v.version} (detected)` : v.version;
  if (v.validIn) return `${v.validIn.join(' or ')} (valid in both)`;
  return 'none accepts it';
}

/** Validates files and folders (recursively, `.json` files) and renders the table or JSON. */
export async function runValidate(
  paths: readonly string[],
  opts: ValidateOptions = {},
): Promise<ValidateOutcome> {
  const requested = opts.fhirVersion ?? 'auto';
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: FileVerdict[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      files.push({
        file: path,
        version: null,
        valid: false,
        issues: [],
        error: 'no such file or folder: give a .json file or a folder of them',
      });
      continue;
    }
    if (!isDir) {
      files.push(await validateFile(path, path, requested, maxFileBytes));
      continue;
    }
    const found = await collectJsonFiles(path);
    if (found.length === 0) {
      files.push({
        file: path,
        version: null,
        valid: false,
        issues: [],
        error: 'the folder holds no .json file',
      });
    }
    for (const f of found) files.push(await validateFile(f, f, requested, maxFileBytes));
  }
  const exitCode = files.some((f) => f.error)
    ? EXIT.usage
    : files.some((f) => !f.valid)
      ? EXIT.notCertified
      : EXIT.ok;
  const valid = files.filter((f) => f.valid).length;
  const summary = `${valid} of ${files.length} file(s) valid`;
  if (opts.json) {
    return { exitCode, files, output: `${JSON.stringify({ exitCode, summary, files }, null, 2)}\n` };
  }
  const table = new Table({
    head: ['file', 'resourceType', 'version', 'result'],
    style: { head: [], border: [] },
  });
  for (const f of files) table.push([f.file, f.resourceType ?? '', versionText(f, requested), resultText(f)]);
  return { exitCode, files, output: `${table.toString()}\n${summary}\n` };
}

export function validateCommand(io: CliIo = processIo): Command {
  return new Command('validate')
    .description('validate FHIR JSON resources offline (a file, or every .json file in a folder)')
    .argument('<paths...>', 'FHIR JSON files or folders')
    .addOption(
      new Option('--fhir-version <version>', 'the FHIR version to validate against')
        .choices(['auto', 'dstu2', 'stu3'])
        .default('auto'),
    )
    .addOption(
      new Option('--max-file-bytes <n>', 'refuse (exit 2) a file larger than this many bytes')
        .argParser(parseByteCount)
        .default(DEFAULT_MAX_FILE_BYTES, '67108864 (64 MiB)'),
    )
    .option('--json', 'print the verdicts as JSON')
    .action(async (paths: string[], opts: ValidateOptions) => {
      const outcome = await runValidate(paths, opts);
      io.stdout(outcome.output);
      const unreadable = outcome.files.find((f) => f.error);
      if (unreadable) io.stderr(`fhir-certify validate: ${unreadable.file}: ${unreadable.error}.\n`);
      if (outcome.exitCode !== EXIT.ok) throw new ExitRequest(outcome.exitCode);
    });
}
