/**
 * The imports between the project's folders, read with TypeScript's own pre-processor (so comments,
 * strings and `import type` are handled as the compiler handles them), and the cycles among them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** One import of one file into another folder: `from` imports `to` at `file`. */
export interface FolderEdge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function sourceFiles(root: string, folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const path = relative(root, join(entry.parentPath, entry.name));
    // Generated validators import nothing of ours and are not written by hand.
    if (path.split('/').includes('generated')) continue;
    files.push(path);
  }
  return files.sort();
}

/**
 * A file's folder is its top-level folder under `src/` or `suites/` (`src/cli/commands/run.ts` is in
 * `src/cli`): a folder's own sub-folders, generated code included, are parts of it.
 */
function folderOf(file: string): string {
  return dirname(file).split('/').slice(0, 2).join('/');
}

/** Every import between two different folders of `tops` (e.g. `src`, `suites`), relative imports only. */
export function folderEdges(root: string, tops: readonly string[]): FolderEdge[] {
  const edges: FolderEdge[] = [];
  for (const file of tops.flatMap((top) => sourceFiles(root, top))) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const from = folderOf(file);
      const to = folderOf(normalize(join(dirname(file), specifier)));
      if (from !== to) edges.push({ from, to, file, specifier });
    }
  }
  return edges;
}

/**
 * The strongly connected groups of two or more folders (Tarjan): each is at least one cycle. A folder
 * that imports itself is not a cycle between folders.
 */
export function folderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from)!.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}
