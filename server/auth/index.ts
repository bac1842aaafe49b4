import path from 'node:path';
import type { Express, RequestHandler } from 'express';
import type Provider from 'oidc-provider';
import type { GitHubClient } from '../github/client.ts';
import type { SecretStore } from '../secrets.ts';
import { createBearerAuth } from './bearer.ts';
import { type AuthEvent, mountInteractions, type Owner } from './interactions.ts';
import { loadOrCreateKeys, publicJwks } from './keys.ts';
import { createProvider, MCP_SCOPE, PROVIDER_PATHS } from './provider.ts';
import { mountProtectedResourceMetadata } from './resource-metadata.ts';
import { createSqliteAdapterFactory } from './sqlite-adapter.ts';

export type { AuthEvent, Owner };

export interface AuthorizationOptions {
  dataDir: string;
  secrets: SecretStore;
  /** The public base URL (tunnel, else loopback): the issuer; `${issuer}/mcp` is the resource. */
  issuer: () => string;
  /** http://127.0.0.1:PORT: GitHub returns the browser here. */
  localBase: () => string;
  github: () => GitHubClient | null;
  owner: () => Owner | null;
  folders: () => string[];
  clientName?: (clientId: string) => string | null;
  onEvent?: (event: AuthEvent) => void;
  log?: (line: string) => void;
}

export interface Authorization {
  /** Mounts the authorization server, the consent and GitHub routes and the RFC 9728 metadata. */
  mount(app: Express): void;
  /** The bearer check for /mcp and /sse. */
  authenticate: RequestHandler;
  close(): void;
}

/**
 * The authorization server as one piece. The provider is rebuilt when the issuer changes
 * (a new tunnel URL): tokens issued for the old URL stop working, since their audience is gone.
 */
export async function createAuthorization(options: AuthorizationOptions): Promise<Authorization> {
  const adapter = createSqliteAdapterFactory(path.join(options.dataDir, 'auth.sqlite'));
  const keys = await loadOrCreateKeys(options.secrets);
  const resourceUrl = () => `${options.issuer()}/mcp`;
  let current: { issuer: string; provider: Provider; handle: ReturnType<Provider['callback']> } | null = null;
  const build = () => {
    const issuer = options.issuer();
    if (current?.issuer !== issuer) {
      const p = createProvider({ issuer, resourceUrl: `${issuer}/mcp`, adapter, keys });
      current = { issuer, provider: p, handle: p.callback() };
    }
    return current;
  };
  const provider = (): Provider => build().provider;
  return {
    mount(app) {
      mountProtectedResourceMetadata(app, {
        resourceUrl,
        authorizationServer: options.issuer,
        scopes: [MCP_SCOPE],
      });
      mountInteractions(app, {
        provider,
        resourceUrl,
        githubCallbackUrl: () => `${options.localBase()}/oauth/github/callback`,
        github: options.github,
        owner: options.owner,
        folders: options.folders,
        onEvent: options.onEvent,
        log: options.log,
      });
      app.use((req, res, next) => {
        if (!PROVIDER_PATHS.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
        void build().handle(req, res);
      });
    },
    authenticate: createBearerAuth({
      resourceUrl,
      issuer: options.issuer,
      jwks: () => publicJwks(keys.jwks),
      ownerId: () => options.owner()?.id ?? null,
      requiredScope: MCP_SCOPE,
      isGrantRevoked: async (token) => !token.grantId || !(await provider().Grant.find(token.grantId)),
      clientName: options.clientName,
      ownerLogin: () => options.owner()?.login ?? null,
      log: options.log,
    }),
    close() {
      adapter.close();
    },
  };
}
