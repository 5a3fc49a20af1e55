/** Starts bench/partner-process.ts as a child process and reads its connection details. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ChildPartner {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  tenants: [string, string];
  close(): Promise<void>;
}

export async function startChildPartner(): Promise<ChildPartner> {
  const script = fileURLToPath(new URL('./partner-process.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  lines.close();
  const info = JSON.parse(first) as Omit<ChildPartner, 'close'>;
  return {
    ...info,
    close: async () => {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill();
    },
  };
}
