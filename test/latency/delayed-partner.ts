/**
 * A loopback partner that answers every request exactly `delayMs` after it arrived, for tolerance
 * tests of the latency measurement. It runs on its own thread (a worker), so its waiting and writing
 * do not queue behind the harness's own work, and it waits with a timer to just before the deadline
 * and then spins: a plain timer fires up to a millisecond late, which would blur what is measured.
 */
import { Worker } from 'node:worker_threads';

export interface DelayedPartner {
  baseUrl: string;
  close(): Promise<void>;
}

const WORKER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { delayMs, body } = workerData;
const server = createServer((req, res) => {
  const arrived = performance.now();
  req.resume();
  req.on('end', () => {
    const due = arrived + delayMs;
    const answer = () => {
      while (performance.now() < due) {}
      res.writeHead(200, {
        'content-type': 'application/fhir+json',
        'server-timing': 'app;dur=' + (performance.now() - arrived).toFixed(3),
      });
      res.end(body);
    };
    // Node timers fire up to ~1 ms late: wake a little early and spin the rest.
    const wait = due - performance.now() - 1.2;
    if (wait > 0) setTimeout(answer, wait); else answer();
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
`;

export async function startDelayedPartner(delayMs: number, body: unknown): Promise<DelayedPartner> {
  const worker = new Worker(WORKER, { eval: true, workerData: { delayMs, body: JSON.stringify(body) } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir`,
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
