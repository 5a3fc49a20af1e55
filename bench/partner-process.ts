/**
 * The reference partner in a process of its own, for benchmarks whose client must not share a thread
 * with the server: prints one JSON line (base URL, token URL, client id and secret, tenants) and serves
 * until its parent closes stdin. Bench-only: the secret it prints is a throwaway of this process.
 *   node --import tsx bench/partner-process.ts
 */
import { startReferencePartner } from '../src/reference-partner/index.js';

const partner = await startReferencePartner();
process.stdout.write(
  `${JSON.stringify({
    baseUrl: partner.baseUrl('stu3'),
    tokenUrl: partner.tokenUrl,
    clientId: partner.clientId,
    clientSecret: partner.clientSecret,
    tenants: partner.tenants,
  })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => void partner.close().then(() => process.exit(0)));
