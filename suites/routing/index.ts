/**
 * ROUTE: the partner maps the tenant in the token's scope to that tenant's FHIR server, and to no other.
 * `route-01-tenant-data` publishes the probe patients; the data suites require it.
 */
import type { Check } from '../../src/engine/check.js';
import { isolation } from './isolation.js';
import { scopeChecks } from './scopes.js';
import { tenantData } from './tenant-data.js';

export const routingChecks: Check[] = [...tenantData, ...isolation, ...scopeChecks];
