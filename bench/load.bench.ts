/**
 * LAT-06's load mode against autocannon, in one run: the same endpoint (an authorised read of a
 * Patient on the reference partner, served from a child process so that neither client shares a
 * thread with the server), the same connections and the same duration, alternated over several
 * rounds. Prints each tool's requests per second (median of rounds), the ratio (target ≥ 0.8) and the
 * harness's own CPU time per request (process.cpuUsage over the load run).
 *   node --import tsx bench/load.bench.ts [seconds per round] [connections] [rounds]
 */
import autocannon from 'autocannon';
import { runLoad } from '../src/latency/load.js';
import type { Interaction } from '../src/latency/sampler.js';
import { startAuthorisedPartner } from './authorised-partner.js';

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 3);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { partner, client, token, patientId: id, close } = await startAuthorisedPartner(connections);
try {
  // The cheapest endpoint (a read: the client's own cost decides) and one of the app's searches
  // (the server's work weighs more), so the ratio is shown at both ends.
  const endpoints = [
    { name: 'GET Patient/{id}', url: `${partner.baseUrl}/Patient/${id}` },
    {
      name: 'GET Observation?patient={id}&category=vital-signs',
      url: `${partner.baseUrl}/Observation?patient=${id}&category=vital-signs&_sort=-date`,
    },
  ];
  const headers = { authorization: `Bearer ${token}` };
  for (const { name, url } of endpoints) {
    const one: Interaction = {
      cls: 'read',
      label: name,
      send: () => client.request({ url, bearer: token, quiet: true }),
    };
    console.log(`\nendpoint ${name}, ${connections} connections, ${seconds} s per round, ${rounds} rounds`);
    const ours: number[] = [];
    const theirs: number[] = [];
    const cpuPerRequest: number[] = [];
    // Warm both clients and the server's JIT before anything is counted.
    await runLoad([one], { users: connections, maxRequests: Infinity, maxMs: 1000 });
    await autocannon({ url, connections, duration: 1, headers });
    for (let round = 0; round < rounds; round++) {
      const cpu0 = process.cpuUsage();
      const load = await runLoad([one], { users: connections, maxRequests: Infinity, maxMs: seconds * 1000 });
      const cpu = process.cpuUsage(cpu0);
      if (load.errors) throw new Error(`${load.errors} errors under load`);
      ours.push(load.throughputRps);
      cpuPerRequest.push((cpu.user + cpu.system) / load.requests);
      const ac = await autocannon({ url, connections, duration: seconds, headers });
      if (ac.errors || ac.non2xx) throw new Error(`autocannon saw ${ac.errors} errors, ${ac.non2xx} non-2xx`);
      theirs.push(ac.requests.total / ac.duration);
      console.log(
        `round ${round + 1}: harness ${load.throughputRps.toFixed(0)} req/s (${load.requests} requests), autocannon ${(ac.requests.total / ac.duration).toFixed(0)} req/s, harness CPU ${cpuPerRequest.at(-1)!.toFixed(1)} µs/request`,
      );
    }
    const ratio = median(ours) / median(theirs);
    console.log(`harness load mode: median ${median(ours).toFixed(0)} req/s`);
    console.log(`autocannon:        median ${median(theirs).toFixed(0)} req/s`);
    console.log(
      `ratio harness/autocannon: ${ratio.toFixed(2)} (target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `harness CPU per request: median ${median(cpuPerRequest).toFixed(1)} µs (whole process, GC included)`,
    );
  }
} finally {
  await close();
}
