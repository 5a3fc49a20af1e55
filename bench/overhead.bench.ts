/**
 * The harness's own overhead per request (issue 2): the time HttpClient measures minus the time the
 * reference partner says it spent (`Server-Timing: app;dur=`), over many /metadata requests and
 * authorised reads on loopback. The partner runs in a child process so its work does not queue behind
 * the client's. What remains is the client, undici, the kernel's loopback and the server's HTTP parsing
 * outside its timed handler. Prints medians per kind and overall. Target: median under 1 ms.
 *   node --import tsx bench/overhead.bench.ts [requests per kind]
 */
import { startAuthorisedPartner } from './authorised-partner.js';

const perKind = Number(process.argv[2] ?? 1000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

const { partner, client, token, patientId: id, close } = await startAuthorisedPartner();
try {
  const kinds = {
    'GET metadata': () => client.request({ url: `${partner.baseUrl}/metadata`, quiet: true }),
    'GET Patient/{id}': () =>
      client.request({ url: `${partner.baseUrl}/Patient/${id}`, bearer: token, quiet: true }),
  };
  const all: number[] = [];
  for (const [name, send] of Object.entries(kinds)) {
    const overhead: number[] = [];
    const total: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < perKind + 50; i++) {
      const ex = await send();
      if (ex.status !== 200 || ex.serverMs === undefined)
        throw new Error(`${name}: HTTP ${ex.status}, no Server-Timing`);
      if (i < 50) continue;
      total.push(ex.timing.totalMs);
      server.push(ex.serverMs);
      overhead.push(ex.timing.totalMs - ex.serverMs);
    }
    all.push(...overhead);
    console.log(
      `${name.padEnd(18)} total median ${median(total).toFixed(3)} ms, server ${median(server).toFixed(3)} ms, overhead median ${median(overhead).toFixed(3)} ms (p90 ${p90(overhead).toFixed(3)} ms) over ${perKind} requests`,
    );
  }
  const m = median(all);
  console.log(
    `harness overhead per request: median ${m.toFixed(3)} ms (target < 1 ms: ${m < 1 ? 'met' : 'NOT met'})`,
  );
} finally {
  await close();
}
