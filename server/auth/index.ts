import path from 'node:path';
import express, { type IRouter, type RequestHandler } from 'express';
import type Provider from 'oidc-provider';
import type { AdapterPayload } from 'oidc-provider';
import type { ConnectedClient, TokenLifetimes } from '../api.ts';
import type { GitHubClient } from '../github/client.ts';
import type { SecretStore } from '../secrets.ts';
import { createBearerAuth } from './bearer.ts';
import { createClientTokenTimesStore } from './client-token-times.ts';
import { connectedClientFrom } from './clients.ts';
import { createGitHubStep, type GitHubStep, type SignInHandler } from './github-step.ts';
import { type AuthEvent, mountInteractions, type Owner } from './interactions.ts';
import { loadOrCreateKeys, publicJwks } from './keys.ts';
import { createOwnerSession } from './owner-session.ts';
import { messagePage } from './pages.ts';
import { addressToIssuer, createProvider, isProviderPath, MCP_SCOPE } from './provider.ts';
import { AUTH_RATE_LIMITS, createRateLimiter, type RateLimit } from './rate-limit.ts';
import { mountProtectedResourceMetadata, RESOURCE_PATHS, resourcePathOf } from './resource-metadata.ts';
import { createSqliteAdapterFactory } from './sqlite-adapter.ts';

export type { AuthEvent, Owner, SignInHandler };

export interface AuthorizationOptions {
  dataDir: string;
  secrets: SecretStore;
  /** The public base URL (tunnel, else loopback): the issuer; `${issuer}/mcp` is the resource. */
  issuer: () => string;
  /** http://127.0.0.1:PORT: GitHub returns the browser here. */
  localBase: () => string;
  /**
   * The public host's GitHub callback, when the GitHub App has it registered and the public URL
   * is stable: consents and viewer sign-ins then return there, so any browser can finish them.
   */
  publicCallbackUrl?: () => string | null;
  github: () => GitHubClient | null;
  owner: () => Owner | null;
  folders: () => string[];
  onEvent?: (event: AuthEvent) => void;
  /** Read at each issuance, so a change applies to the next token; the provider's defaults if absent. */
  tokenLifetimes?: () => TokenLifetimes;
  log?: (line: string) => void;
  /** Tests only: a fetch for Client ID Metadata Documents that trusts a local https server. */
  clientMetadataFetch?: typeof fetch;
  rateLimits?: Record<string, RateLimit>;
}

export interface Authorization {
  /**
   * Mounts the authorization server, consent, the GitHub callback, the viewer session,
   * the RFC 9728 metadata and the legacy plugin manifest.
   */
  mount(app: IRouter): void;
  /** The bearer check for /mcp and /sse. */
  authenticate: RequestHandler;
  /** The owner's browser session, for /view/:id. */
  authorizeViewer: RequestHandler;
  /** The GitHub authorize URL of a new sign-in whose result goes to `handler` (owner sign-in). */
  beginSignIn(handler: SignInHandler): string;
  listClients(): Promise<ConnectedClient[]>;
  /** Deletes the client with its grants and tokens; false when unknown. */
  revokeClient(clientId: string): boolean;
  /** Every grant, token and session gone (the owner changed). Clients stay registered. */
  revokeAllGrants(): number;
  close(): void;
}

/**
 * The authorization server as one piece. The provider is rebuilt when the issuer changes
 * (a new tunnel URL): tokens issued for the old URL stop working, since their audience is gone.
 */
export async function createAuthorization(options: AuthorizationOptions): Promise<Authorization> {
  const log = options.log ?? (() => {});
  const adapter = createSqliteAdapterFactory(path.join(options.dataDir, 'auth.sqlite'));
  const tokenTimes = createClientTokenTimesStore(adapter.db);
  tokenTimes.purgeWithoutGrant();
  const keys = await loadOrCreateKeys(options.secrets);
  const resourceUrl = () => `${options.issuer()}/mcp`;
  let current: { issuer: string; provider: Provider; handle: ReturnType<Provider['callback']> } | null = null;
  // Names for the activity log, which must not wait on a lookup: registered clients are in
  // the database; CIMD clients are learned when they obtain a token.
  const names = new Map<string, string | null>();
  const clientName = async (clientId: string | null) => {
    if (!clientId) return null;
    const name =
      (
        await provider()
          .Client.find(clientId)
          .catch(() => undefined)
      )?.clientName ?? null;
    if (names.size > 1000) names.clear();
    names.set(clientId, name);
    return name;
  };
  const knownClientName = (clientId: string): string | null => {
    const stored = adapter.clientMetadata(clientId)?.client_name;
    return typeof stored === 'string' ? stored : (names.get(clientId) ?? null);
  };
  const emitTokenEvent = async (type: 'token' | 'refresh' | 'revoked', clientId: string | null) => {
    options.onEvent?.({
      type,
      clientId,
      clientName: await clientName(clientId).catch(() => null),
      login: options.owner()?.login ?? null,
    });
  };
  // For the dashboard: which clients refresh, and until when their access token runs.
  const recordIssuance = (clientId: string | undefined, grantType: unknown, body: unknown) => {
    const kind =
      grantType === 'authorization_code' ? 'code' : grantType === 'refresh_token' ? 'refresh' : null;
    if (!clientId || !kind) return;
    const at = Date.now();
    const expiresIn = (body as { expires_in?: unknown } | null)?.expires_in;
    try {
      tokenTimes.recordIssuance(clientId, {
        kind,
        at,
        accessExpiresAt: typeof expiresIn === 'number' ? at + expiresIn * 1000 : null,
      });
    } catch (error) {
      log(`auth: could not record the token times of a client: ${(error as Error).message}`);
    }
  };
  const build = () => {
    const issuer = options.issuer();
    if (current?.issuer !== issuer) {
      const p = createProvider({
        issuer,
        resourceUrl: `${issuer}/mcp`,
        otherResourceUrls: [`${issuer}/sse`],
        adapter,
        keys,
        tokenLifetimes: options.tokenLifetimes,
        clientMetadataFetch: options.clientMetadataFetch,
      });
      p.on('grant.success', (ctx) => {
        const grantType = ctx.oidc.params?.grant_type;
        recordIssuance(ctx.oidc.client?.clientId, grantType, ctx.body);
        void emitTokenEvent(
          grantType === 'refresh_token' ? 'refresh' : 'token',
          ctx.oidc.client?.clientId ?? null,
        );
      });
      p.on('grant.revoked', (ctx) => void emitTokenEvent('revoked', ctx.oidc?.client?.clientId ?? null));
      p.on('server_error', (_ctx, error) => log(`auth: server error ${error.message}`));
      p.on('authorization.error', (_ctx, error) =>
        log(`auth: authorization refused: ${describeError(error)}`),
      );
      p.on('grant.error', (_ctx, error) => log(`auth: token refused: ${describeError(error)}`));
      // A refused registration (a bad redirect URI, an implicit-flow client) says why in the log too.
      p.on('registration_create.error', (_ctx, error) =>
        log(`auth: registration refused: ${describeError(error)}`),
      );
      current = { issuer, provider: p, handle: p.callback() };
    }
    return current;
  };
  const provider = (): Provider => build().provider;

  let step: { client: GitHubClient; step: GitHubStep } | null = null;
  const githubStep = (): GitHubStep | null => {
    const client = options.github();
    if (!client) return null;
    // Rebuilt when the OAuth App changes; sign-ins pending on the old one expire.
    if (step?.client !== client) {
      step = {
        client,
        step: createGitHubStep({
          github: () => client,
          callbackUrl: () => `${options.localBase()}/oauth/github/callback`,
          expiredPage: (res) =>
            res
              .status(400)
              .type('html')
              .send(messagePage('This sign-in has expired', 'Start again from Porthole or from your app.')),
        }),
      };
    }
    return step.step;
  };
  const ownerSession = createOwnerSession({
    secret: keys.cookieKeys[0] as string,
    owner: options.owner,
    githubStep,
    publicCallbackUrl: () => options.publicCallbackUrl?.() ?? null,
    issuer: options.issuer,
    log,
  });
  const rateLimiter = createRateLimiter(options.rateLimits ?? AUTH_RATE_LIMITS, { log });

  return {
    mount(app) {
      app.use(rateLimiter);
      mountProtectedResourceMetadata(app, {
        baseUrl: options.issuer,
        authorizationServer: options.issuer,
        scopes: [MCP_SCOPE],
      });
      app.get('/.well-known/ai-plugin.json', (_req, res) => {
        res.json(pluginManifest(options.issuer()));
      });
      // One callback route for every sign-in, whichever OAuth App is current.
      app.get('/oauth/github/callback', (req, res, next) => {
        const s = githubStep();
        if (!s) {
          res
            .status(409)
            .type('html')
            .send(messagePage('GitHub sign-in is not set up', 'Open Porthole first.'));
          return;
        }
        const router = express.Router();
        s.mount(router);
        router(req, res, next);
      });
      mountInteractions(app, {
        provider,
        resourceUrls: () => [resourceUrl(), `${options.issuer()}/sse`],
        githubStep,
        publicCallbackUrl: () => options.publicCallbackUrl?.() ?? null,
        owner: options.owner,
        folders: options.folders,
        onEvent: options.onEvent,
        startViewerSession: ownerSession.startSession,
        log,
      });
      ownerSession.mount(app);
      app.use((req, res, next) => {
        if (!isProviderPath(req.path)) return next();
        const { issuer, handle } = build();
        addressToIssuer(req, issuer);
        void handle(req, res);
      });
    },
    authenticate: createBearerAuth({
      // /sse and /messages are their own resource (…/sse); a token for either transport is accepted on both.
      resourceUrl: (req) => `${options.issuer()}${resourcePathOf(req.path)}`,
      audiences: () => RESOURCE_PATHS.map((p) => `${options.issuer()}${p}`),
      issuer: options.issuer,
      jwks: () => publicJwks(keys.jwks),
      ownerId: () => options.owner()?.id ?? null,
      requiredScope: MCP_SCOPE,
      isGrantRevoked: async (token) => !token.grantId || !(await provider().Grant.find(token.grantId)),
      clientName: knownClientName,
      ownerLogin: () => options.owner()?.login ?? null,
      log,
    }),
    authorizeViewer: ownerSession.authorizeViewer,
    beginSignIn(handler) {
      const s = githubStep();
      if (!s) throw new Error('GitHub sign-in is not set up: add the GitHub OAuth App first.');
      return s.begin(handler, { kind: 'app' });
    },
    async listClients() {
      return Promise.all(
        adapter.grantedClients().map(async (row) => {
          let metadata = adapter.clientMetadata(row.clientId);
          if (!metadata) {
            // A CIMD client: its document (cached by the provider) has the name.
            const client = await provider()
              .Client.find(row.clientId)
              .catch(() => undefined);
            metadata = client ? (client.metadata() as AdapterPayload) : null;
          }
          return connectedClientFrom({ ...row, metadata, tokenTimes: tokenTimes.get(row.clientId) });
        }),
      );
    },
    revokeClient: (clientId) => {
      tokenTimes.forget(clientId);
      return adapter.deleteClient(clientId);
    },
    revokeAllGrants: () => {
      tokenTimes.forgetAll();
      return adapter.revokeAllGrants();
    },
    close() {
      rateLimiter.close();
      adapter.close();
    },
  };
}

/** The legacy ChatGPT plugin manifest, for older clients that still look for one. */
export function pluginManifest(issuer: string) {
  return {
    schema_version: 'v1',
    name_for_human: 'Porthole',
    name_for_model: 'porthole',
    description_for_human: "Search and read the folders shared from the owner's computer.",
    description_for_model:
      'Search and read documents in folders the user shared from their own computer. Read-only.',
    auth: {
      type: 'oauth',
      authorization_url: `${issuer}/authorize`,
      token_url: `${issuer}/token`,
      scopes: [MCP_SCOPE],
      authorization_content_type: 'application/x-www-form-urlencoded',
    },
    api: { type: 'mcp', url: `${issuer}/mcp` },
  };
}

/** An oidc-provider error with its causes, for one log line (a CIMD fetch failure hides its reason there). */
function describeError(error: Error & { error_description?: string }): string {
  const parts = [error.error_description ? `${error.message}: ${error.error_description}` : error.message];
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    parts.push(cause.message);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.join(' ← ');
}
