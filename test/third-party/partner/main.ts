/**
 * The partner as its own process, as a partner's server is. It must not run with NODE_ENV=test (which
 * vitest sets): the framework then switches its authentication middleware off altogether. Settings
 * come from the environment; the parent is told the origin over the IPC channel, and can ask for a
 * secret rotation the same way. The process ends when the parent disconnects.
 */
import { startPartner } from './partner.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

if (process.env.NODE_ENV === 'test')
  throw new Error('NODE_ENV=test switches the framework authentication off');
if (!process.send) throw new Error('start the partner with an IPC channel (child_process.fork)');

const [a, b] = env('PARTNER_TENANTS').split(',');
const partner = await startPartner({
  examples: env('PARTNER_EXAMPLES'),
  tenants: [a!, b!],
  clientId: env('PARTNER_CLIENT_ID'),
  clientSecret: env('PARTNER_CLIENT_SECRET'),
  tokenLifetimeS: Number(env('PARTNER_TOKEN_TTL_S')),
});

process.on('message', (message: { rotate?: string }) => {
  if (typeof message.rotate === 'string') {
    partner.rotate(message.rotate);
    process.send!({ rotated: true });
  }
});
process.on('disconnect', () => void partner.close().then(() => process.exit(0)));
process.send({ origin: partner.origin, left: partner.left });
