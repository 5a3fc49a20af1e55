/**
 * OAuth 2.0 client credentials with @node-oauth/oauth2-server: the glue is its in-memory model (one
 * client, the issued tokens) and two adapters, the token endpoint on express and a passport bearer
 * strategy that asks the library whether a token is valid. A token's scope must be exactly one known
 * tenant id; the tenant then rides on `req.user` to the FHIR services.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import { BearerStrategy, type ExpressRequest, type ExpressResponse, type Handler } from './libraries.js';

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  tenants: readonly string[];
  tokenLifetimeS: number;
}

export interface OAuthGlue {
  /** POST handler for the token URL. */
  token: Handler;
  /** A passport strategy (named "bearer") for the framework's authentication middleware. */
  strategy: unknown;
  /** Replaces the client secret, as an operator rotating it would. */
  rotate(secret: string): void;
}

export function oauthGlue(settings: OAuthSettings): OAuthGlue {
  let secret = settings.clientSecret;
  const tokens = new Map<string, OAuth2Server.Token>();
  const client: OAuth2Server.Client = { id: settings.clientId, grants: ['client_credentials'] };

  const model: OAuth2Server.ClientCredentialsModel = {
    async getClient(clientId, clientSecret) {
      return clientId === settings.clientId && clientSecret === secret ? client : false;
    },
    async getUserFromClient(c) {
      return { client: c.id };
    },
    async validateScope(_user, _client, scope) {
      return scope?.length === 1 && settings.tenants.includes(scope[0]!) ? scope : false;
    },
    async saveToken(token, c, user) {
      const saved = { ...token, client: c, user };
      tokens.set(token.accessToken, saved);
      return saved;
    },
    async getAccessToken(accessToken) {
      return tokens.get(accessToken) ?? false;
    },
  };
  const server = new OAuth2Server({ model, accessTokenLifetime: settings.tokenLifetimeS });

  const token: Handler = (req, res) => {
    const response = new OAuth2Server.Response();
    server
      .token(new OAuth2Server.Request(req), response)
      .catch((err: unknown) => {
        // The library checks the method and the Content-Type before it starts filling the response.
        if (response.status === undefined && err instanceof OAuth2Server.OAuthError) {
          response.status = err.code;
          response.body = { error: err.name, error_description: err.message };
        }
      })
      .finally(() => send(res, response));
  };

  const strategy = new BearerStrategy({ passReqToCallback: true }, (req: ExpressRequest, _token, done) => {
    server
      .authenticate(new OAuth2Server.Request(req), new OAuth2Server.Response())
      .then((granted) => {
        const scope = granted.scope;
        done(null, { tenant: Array.isArray(scope) ? scope[0] : scope });
      })
      // The library refuses a missing, unknown or expired token: passport then answers 401.
      .catch(() => done(null, false));
  });

  return {
    token,
    strategy,
    rotate(next) {
      secret = next;
    },
  };
}

/** The library fills a framework-neutral Response (status, headers, body); express sends it. */
function send(res: ExpressResponse, response: OAuth2Server.Response): void {
  res
    .status(response.status ?? 500)
    .set(response.headers ?? {})
    .json(response.body ?? {});
}
