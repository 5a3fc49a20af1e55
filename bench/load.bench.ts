/**
 * LAT-06's load mode against autocannon, in one run: the same endpoint (served by the reference
 * partner from a child process, so that neither client shares a thread with the server), the same
 * request headers, the same connections and the same duration.
 *
 * The harness side is the load mode itself: runLoad driving the latency suite's own interactions
 * (token provider, sampling request, one connection per simulated user), not a stand-in.
 *
 * Rounds are paired (one harness run, one autocannon run, order alternating) and the verdict is the
 * median of the per-pair ratios: on a shared machine the speed of both tools drifts by half within a
 * minute, and a pair run back to back sees the same drift. Also printed: each tool's median requests
 * per second and CPU time per request (process.cpuUsage over its run; autocannon runs in-process).
 *   node --import tsx bench/load.bench.ts [seconds per round] [connections] [rounds]
 */
import autocannon from 'autocannon';
import { baseHeaders } from '../src/http/client.js';
import { primeToken, queriesFor, readInteraction, searchInteraction } from '../src/latency/interactions.js';
import { runLoad } from '../src/latency/load.js';
import type { Interaction } from '../src/latency/sampler.js';
import { fhirUrl } from '../src/auth/session.js';
import { relativeUrl } from '../src/profile/requests.js';
import { startAuthorisedPartner } from './authorised-partner.js';

const seconds = Number(process.argv[2] ?? 3);
const connections = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 5);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { ctx, sampled, probe, close } = await startAuthorisedPartner(connections);
try {
  await primeToken(sampled.tokens, probe.tenant);
  const token = sampled.tokens.fresh(probe.tenant)!;
  const headers = { ...baseHeaders(), authorization: `Bearer ${token}` };
  const vitals = queriesFor(sampled, probe).find((q) => q.id === 'vital-signs')!;
  // The cheapest endpoint (a read: the client's own cost decides) and one of the app's searches
  // (the server's work weighs more), so the ratio is shown at both ends.
  const endpoints: Array<{ interaction: Interaction; url: string }> = [
    { interaction: readInteraction(sampled, probe), url: fhirUrl(ctx, `Patient/${probe.id}`) },
    {
      interaction: searchInteraction(sampled, probe.tenant, vitals),
      url: fhirUrl(ctx, relativeUrl(vitals.request)),
    },
  ];
  const harness = async (interaction: Interaction) => {
    const cpu0 = process.cpuUsage();
    const load = await runLoad([interaction], {
      users: connections,
      maxRequests: Infinity,
      maxMs: seconds * 1000,
    });
    const cpu = process.cpuUsage(cpu0);
    if (load.errors) throw new Error(`${load.errors} errors under load`);
    return {
      rps: load.throughputRps,
      requests: load.requests,
      cpuUs: (cpu.user + cpu.system) / load.requests,
    };
  };
  const bench = async (url: string, duration: number) => {
    const cpu0 = process.cpuUsage();
    const ac = await autocannon({ url, connections, duration, headers });
    const cpu = process.cpuUsage(cpu0);
    if (ac.errors || ac.non2xx) throw new Error(`autocannon saw ${ac.errors} errors, ${ac.non2xx} non-2xx`);
    return { rps: ac.requests.total / ac.duration, cpuUs: (cpu.user + cpu.system) / ac.requests.total };
  };

  for (const { interaction, url } of endpoints) {
    console.log(
      `\n${interaction.label}, ${connections} connections, ${seconds} s per run, ${rounds} paired rounds`,
    );
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    const cpuPerRequest: number[] = [];
    const theirCpu: number[] = [];
    // Warm both clients and the server's JIT before anything is counted.
    await runLoad([interaction], { users: connections, maxRequests: Infinity, maxMs: 1000 });
    await bench(url, 1);
    for (let round = 0; round < rounds; round++) {
      let h: Awaited<ReturnType<typeof harness>>;
      let a: Awaited<ReturnType<typeof bench>>;
      if (round % 2 === 0) {
        h = await harness(interaction);
        a = await bench(url, seconds);
      } else {
        a = await bench(url, seconds);
        h = await harness(interaction);
      }
      ours.push(h.rps);
      theirs.push(a.rps);
      ratios.push(h.rps / a.rps);
      cpuPerRequest.push(h.cpuUs);
      theirCpu.push(a.cpuUs);
      console.log(
        `round ${round + 1}: harness ${h.rps.toFixed(0)} req/s (${h.requests} requests, ${h.cpuUs.toFixed(1)} µs CPU each), autocannon ${a.rps.toFixed(0)} req/s (${a.cpuUs.toFixed(1)} µs CPU each), ratio ${(h.rps / a.rps).toFixed(2)}`,
      );
    }
    const ratio = median(ratios);
    console.log(`harness load mode: median ${median(ours).toFixed(0)} req/s`);
    console.log(`autocannon:        median ${median(theirs).toFixed(0)} req/s`);
    console.log(
      `ratio harness/autocannon, median of pairs: ${ratio.toFixed(2)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `CPU per request, whole process with GC: harness median ${median(cpuPerRequest).toFixed(1)} µs, autocannon ${median(theirCpu).toFixed(1)} µs`,
    );
  }
} finally {
  await close();
}
