/**
 * Batch, which the framework means to offer but does not: its router loops over the batch routes with
 * `for (let i; routes.length; i++)` on the module object `{ routes }` (router.js, enableBaseRoute),
 * whose `length` is undefined, so no batch route is ever registered; and its batch service replays
 * each entry over HTTP without the caller's Authorization header and keeps only the status. The glue
 * does what that service set out to do, done right: each GET entry is replayed against this same
 * server with the caller's token, and the answer's resource is kept.
 */
import type { ExpressRequest, Handler, Json } from './libraries.js';

const FHIR_JSON: Record<string, string> = {
  '1_0_2': 'application/json+fhir',
  '3_0_1': 'application/fhir+json',
};

function outcome(status: number, message: string): Json {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: status === 400 ? 'invalid' : 'exception', diagnostics: message }],
  };
}

async function replay(req: ExpressRequest, origin: string, url: string): Promise<Json> {
  const version = req.params.base_version!;
  const target = new URL(`${origin}/${version}/${url.replace(/^\//, '')}`);
  if (target.origin !== origin) return { response: { status: '400 Bad Request' } };
  const answer = await fetch(target, {
    headers: { authorization: req.get('authorization') ?? '', accept: FHIR_JSON[version]! },
  });
  const text = await answer.text();
  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch {
    resource = undefined;
  }
  return {
    ...(typeof resource === 'object' && resource !== null ? { resource } : {}),
    response: { status: `${answer.status} ${answer.statusText}`.trim() },
  };
}

/** POST [base] with a `batch` Bundle of GET entries; `origin` is where this server listens. */
export function batchHandler(origin: string): Handler {
  return (req, res, next) => {
    const version = req.params.base_version;
    if (version === undefined || !(version in FHIR_JSON)) return next();
    const reply = (status: number, body: Json): void => {
      res.status(status).type(FHIR_JSON[version]!).json(body);
    };
    const bundle = req.body as Json | undefined;
    if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'batch') {
      return reply(400, outcome(400, 'POST [base] takes a Bundle of type batch'));
    }
    const entries = Array.isArray(bundle.entry) ? (bundle.entry as Json[]) : [];
    const results = entries.map(async (entry) => {
      const request = entry.request as Json | undefined;
      if (request?.method !== 'GET' || typeof request.url !== 'string') {
        return {
          response: { status: '400 Bad Request', outcome: outcome(400, 'only GET entries are supported') },
        };
      }
      return replay(req, origin, request.url);
    });
    Promise.all(results)
      .then((entry) => reply(200, { resourceType: 'Bundle', type: 'batch-response', entry }))
      .catch(() => reply(500, outcome(500, 'the batch could not be completed')));
  };
}
