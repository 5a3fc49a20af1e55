/** ROUTE faults: which tenant's data a token reaches. */
import type { FaultPlugin } from './hooks.js';

export const routingFaults: FaultPlugin[] = [
  {
    name: 'ROUTE-01',
    requirement: 'ROUTE-01',
    description: "Patient searches with tenant A's token answer an empty searchset",
    request: { hidesFirstTenantPatients: true },
  },
  {
    name: 'ROUTE-02',
    requirement: 'ROUTE-02',
    description: 'reads ignore the tenant: a resource of the other tenant is readable by id',
    request: { readsOtherTenant: true },
  },
  {
    name: 'ROUTE-03',
    requirement: 'ROUTE-03',
    description: "tokens are issued for unknown tenants and reach tenant A's data",
    token: {
      requestFlaw: (flaw) => (flaw === 'unknown-tenant' ? 'accept' : undefined),
      bearerFlaw: (flaw) => flaw === 'unknown-tenant',
    },
  },
  {
    name: 'ROUTE-04',
    requirement: 'ROUTE-04',
    description: "tokens are issued without a scope and reach tenant A's data",
    token: {
      requestFlaw: (flaw) => (flaw === 'missing-scope' ? 'accept' : undefined),
      bearerFlaw: (flaw) => flaw === 'no-tenant',
    },
  },
  {
    name: 'ROUTE-05',
    requirement: 'ROUTE-05',
    description: 'a malformed (non-GUID) scope gets a 500',
    token: { requestFlaw: (flaw) => (flaw === 'malformed-scope' ? 'server-error' : undefined) },
  },
];
