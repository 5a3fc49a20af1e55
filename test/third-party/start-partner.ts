/** Starts the third-party partner (partner/main.ts) as a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

export interface PartnerProcess {
  origin: string;
  tenants: [string, string];
  clientId: string;
  clientSecret: string;
  /** Example files the partner does not serve, with why. */
  left: string[];
  /** Rotates the client secret at the partner and resolves once it took effect. */
  rotate(secret: string): Promise<void>;
  /** What the process wrote, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const MAIN = join(import.meta.dirname, 'partner', 'main.ts');
const START_TIMEOUT_MS = 20_000;

function nextMessage<T>(child: ChildProcess, accept: (m: unknown) => m is T, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the partner did not ${what} within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const onMessage = (m: unknown): void => {
      if (accept(m)) done(undefined, m);
    };
    const onExit = (code: number | null): void =>
      done(new Error(`the partner exited (code ${code}) before it could ${what}`));
    function done(err?: Error, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startThirdPartyPartner(
  examples: string,
  tokenLifetimeS: number,
): Promise<PartnerProcess> {
  const tenants: [string, string] = [randomUUID(), randomUUID()];
  const clientId = 'teams-patients-app';
  const clientSecret = randomBytes(24).toString('base64url');
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PARTNER_EXAMPLES: examples,
      PARTNER_TENANTS: tenants.join(','),
      PARTNER_CLIENT_ID: clientId,
      PARTNER_CLIENT_SECRET: clientSecret,
      PARTNER_TOKEN_TTL_S: String(tokenLifetimeS),
    },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
    });

  let ready: { origin: string; left: string[] };
  try {
    ready = await nextMessage(
      child,
      (m): m is { origin: string; left: string[] } => typeof (m as { origin?: unknown }).origin === 'string',
      'start',
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  return {
    origin: ready.origin,
    left: ready.left,
    tenants,
    clientId,
    clientSecret,
    async rotate(secret) {
      const ack = nextMessage(
        child,
        (m): m is { rotated: true } => (m as { rotated?: unknown }).rotated === true,
        'rotate',
      );
      child.send({ rotate: secret });
      await ack;
    },
    output: () => output,
    stop,
  };
}
