// Test helpers for the authorization flow.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import type Provider from 'oidc-provider';
import type { TokenLifetimes } from '../api.ts';
import { GitHubClient } from '../github/client.ts';
import { MemorySecretStore } from '../secrets.ts';
import { createBearerAuth } from './bearer.ts';
import { createGitHubStep } from './github-step.ts';
import { type AuthEvent, mountInteractions } from './interactions.ts';
import { loadOrCreateKeys, publicJwks } from './keys.ts';
import { addressToIssuer, createProvider, isProviderPath } from './provider.ts';
import { createSqliteAdapterFactory, type SqliteAdapterFactory } from './sqlite-adapter.ts';

/** A browser: follows redirects by hand with a cookie jar, until the client's redirect_uri. */
export class Browser {
  private cookies = new Map<string, string>();

  /** Stops at the first redirect to `stopAt` (the OAuth client's redirect_uri). */
  constructor(
    private readonly stopAt: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async go(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 20; hop++) {
      if (current.startsWith(this.stopAt)) return { url: current, status: 0, body: '' };
      const res = await this.fetchImpl(current, {
        ...request,
        redirect: 'manual',
        headers: { ...request.headers, cookie: this.cookieHeader(current) },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        this.cookies.set(`${new URL(current).host}|${name}`, value.join('='));
      }
      const location = res.headers.get('location');
      if (!location) return { url: current, status: res.status, body: await res.text() };
      current = new URL(location, current).toString();
      request = {};
    }
    throw new Error('too many redirects');
  }

  /** The Cookie header this browser would send to `url`. */
  cookieHeader(url: string): string {
    const host = new URL(url).host;
    return [...this.cookies]
      .filter(([k]) => k.startsWith(`${host}|`))
      .map(([k, v]) => `${k.split('|')[1]}=${v}`)
      .join('; ');
  }
}

export interface TestAuthServer {
  base: string;
  provider: Provider;
  adapter: SqliteAdapterFactory;
  close(): Promise<void>;
}

/**
 * The authorization server as the app mounts it (consent → GitHub, owner octocat with id 1,
 * `/mcp` behind the bearer check answering `{ ok, principal }`, oidc-provider behind
 * isProviderPath + addressToIssuer), on real HTTP on loopback. `github` is a (fake) GitHub's
 * web and API URLs with the OAuth App's credentials.
 */
export async function startTestAuthServer(options: {
  github: { webUrl: string; apiUrl: string; clientId: string; clientSecret: string };
  tokenLifetimes?: () => TokenLifetimes;
  onEvent?: (event: AuthEvent) => void;
}): Promise<TestAuthServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'porthole-auth-'));
  const adapter = createSqliteAdapterFactory(path.join(dir, 'auth.sqlite'), { purgeIntervalMs: 0 });
  const keys = await loadOrCreateKeys(new MemorySecretStore());
  const app = express();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = createProvider({
    issuer: base,
    resourceUrl: `${base}/mcp`,
    otherResourceUrls: [`${base}/sse`],
    adapter,
    keys,
    tokenLifetimes: options.tokenLifetimes,
  });
  const github = new GitHubClient(options.github);
  const step = createGitHubStep({
    github: () => github,
    callbackUrl: () => `${base}/oauth/github/callback`,
    expiredPage: (res) => res.status(400).send('expired'),
  });
  step.mount(app);
  mountInteractions(app, {
    provider: () => provider,
    resourceUrls: () => [`${base}/mcp`, `${base}/sse`],
    githubStep: () => step,
    owner: () => ({ id: 1, login: 'octocat' }),
    folders: () => ['/home/octocat/Notes'],
    onEvent: options.onEvent,
  });
  app.post(
    '/mcp',
    createBearerAuth({
      resourceUrl: () => `${base}/mcp`,
      issuer: () => base,
      jwks: () => publicJwks(keys.jwks),
      ownerId: () => 1,
      requiredScope: 'mcp',
      isGrantRevoked: async (token) => !token.grantId || !(await provider.Grant.find(token.grantId)),
    }),
    (_req, res) => {
      res.json({ ok: true, principal: res.locals.principal });
    },
  );
  const callback = provider.callback();
  app.use((req, res, next) => {
    if (!isProviderPath(req.path)) return next();
    addressToIssuer(req, base);
    void callback(req, res);
  });
  return {
    base,
    provider,
    adapter,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      adapter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
