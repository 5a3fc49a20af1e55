/**
 * What a running reference partner is and what it is started with: plain types, kept apart from the
 * code that starts it so that its faults, their detectors and its plain client can name them without
 * importing the partner.
 */
import type { Variant } from './variations.js';
import type { FhirVersion } from './versions.js';

export interface ReferencePartnerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Named faults (see listFaults()); an unknown name throws an Error listing the valid ones. */
  faults?: string[];
  /** Default 12. */
  patientsPerTenant?: number;
  /** Seed of the synthetic data and tenant ids; the same seed gives the same data. */
  seed?: number;
  /** Default 3600. */
  tokenTtlSeconds?: number;
  /** Default: a fixed id. */
  clientId?: string;
  /** Default: a random secret. */
  clientSecret?: string;
  /** Serve HTTPS with this PEM key and certificate. */
  tls?: { key: string; cert: string };
  /** Fixed delay added to every answer. */
  delayMs?: number;
  /**
   * 'unusual': still conformant, but every legal, less common way a real EHR does things (see
   * listVariations()). Default 'standard'. An unknown name throws an Error listing the valid ones.
   */
  variant?: Variant;
}

export interface ReferencePartner {
  origin: string;
  baseUrl(version: FhirVersion): string;
  tokenUrl: string;
  clientId: string;
  /** The current secret (it changes when /oauth/rotate is used). */
  readonly clientSecret: string;
  tenants: [string, string];
  /** POST here to rotate the client secret (see src/reference-partner/oauth.ts for the protocol). */
  rotationUrl: string;
  faults: string[];
  variant: Variant;
  close(): Promise<void>;
}
