/**
 * Rotates the reference partner's client secret through its own `POST /oauth/rotate`, as the app
 * owner would at a real partner: the demo does it before each version so AUTH-10 is proven, and the
 * tests that need a rotated partner do the same.
 */
import { Agent, request } from 'undici';
import type { ReferencePartner } from './partner.js';

/** @param ca PEM of the CA that signed the partner's certificate, when it serves HTTPS. */
export async function rotateSecret(partner: ReferencePartner, newSecret: string, ca?: string): Promise<void> {
  const dispatcher = new Agent(ca ? { connect: { ca } } : {});
  try {
    const res = await request(partner.rotationUrl, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
        new_secret: newSecret,
      }).toString(),
    });
    await res.body.dump();
    if (res.statusCode !== 200)
      throw new Error(`the reference partner refused the secret rotation (HTTP ${res.statusCode})`);
  } finally {
    await dispatcher.close();
  }
}
