import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { createAppThroughManifest } from '../e2e/fixtures/fake-github-manifest-browser.ts';
import { Browser } from './auth/testing.ts';
import { type Connector, createConnector, GITHUB_SECRET_NAME } from './connector.ts';
import { removeDirs, tempDir } from './library/testing.ts';
import { MCP_HEADERS, rawRequest, rpc } from './mcp/testing.ts';
import { MemorySecretStore } from './secrets.ts';

let github: FakeGitHub;
const dirs: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
});

afterAll(async () => {
  await github.close();
  await removeDirs(...dirs);
});

async function fresh(options: Partial<Parameters<typeof createConnector>[0]> = {}) {
  const dataDir = await tempDir('porthole-setup-');
  dirs.push(dataDir);
  const secrets = new MemorySecretStore();
  const connector = createConnector({ dataDir, port: 0, watch: false, log: () => {}, secrets, ...options });
  await connector.start();
  return { connector, secrets, dataDir };
}

const app = () => ({
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  webUrl: github.url,
  apiUrl: github.apiUrl,
});

describe('first run, from nothing to an owner', () => {
  let connector: Connector;
  let secrets: MemorySecretStore;

  beforeAll(async () => {
    ({ connector, secrets } = await fresh());
  });
  afterAll(() => connector.stop());

  it('starts loopback-only, with the values to create the GitHub OAuth App', () => {
    const { auth, tunnel } = connector.state();
    expect(auth.mode).toBe('loopback-only');
    expect(auth.github).toMatchObject({
      configured: false,
      setup: {
        newAppUrl: 'https://github.com/settings/applications/new',
        callbackUrl: 'http://127.0.0.1/oauth/github/callback',
      },
    });
    // No public URL without the authorization server: it would be open to anyone.
    expect(tunnel).toMatchObject({ mode: 'quick', state: 'off' });
    expect(tunnel.message).toMatch(/GitHub sign-in/);
  });

  it('cannot start an owner sign-in before the OAuth App exists', async () => {
    await expect(connector.control.beginOwnerSignIn()).rejects.toThrow(/GitHub OAuth App first/);
  });

  it('refuses credentials GitHub does not accept, and stores nothing', async () => {
    await expect(
      connector.control.setGitHubApp({ ...app(), clientSecret: 'wrong-secret-0000' }),
    ).rejects.toThrow(/does not accept this client ID and secret/);
    await expect(connector.control.setGitHubApp({ ...app(), clientId: 'x' })).rejects.toThrow(/client ID/);
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBeNull();
    expect(connector.state().auth.github.configured).toBe(false);
  });

  it('takes the right credentials: the secret goes to the keychain and /mcp needs a token at once', async () => {
    const port = connector.state().server.port!;
    const before = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(before.status).toBe(200);
    await connector.control.setGitHubApp({ ...app(), clientSecret: ` ${DEFAULT_CLIENT.clientSecret} ` });
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBe(DEFAULT_CLIENT.clientSecret);
    expect(connector.state().auth).toMatchObject({
      mode: 'oauth',
      github: { configured: true, clientId: DEFAULT_CLIENT.clientId, webUrl: github.url },
    });
    expect(JSON.stringify(connector.state())).not.toContain(DEFAULT_CLIENT.clientSecret);
    const after = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(after.status).toBe(401);
  });

  it('signs the owner in through GitHub from the app', async () => {
    const { url } = await connector.control.beginOwnerSignIn();
    expect(new URL(url).origin).toBe(github.url);
    const page = await fetch(url);
    expect(await page.text()).toContain('Signed in as @octocat');
    expect(connector.state().auth.owner).toEqual({
      id: 1,
      login: 'octocat',
      name: 'The Octocat',
      avatarUrl: expect.any(String),
    });
    expect(github.revokedTokens().map((t) => t.login)).toContain('octocat');
  });
});

describe('changing the GitHub host', () => {
  it('clears the owner (ids are per host) and revokes every grant; the same host keeps the owner', async () => {
    const other = await startFakeGitHub({ autoLoginUser: 'octocat' });
    try {
      const { connector } = await fresh({ tunnel: 'off' });
      await connector.control.setGitHubApp(app());
      const { url } = await connector.control.beginOwnerSignIn();
      await fetch(url);
      expect(connector.state().auth.owner?.login).toBe('octocat');
      await connector.control.setGitHubApp(app());
      expect(connector.state().auth.owner?.login).toBe('octocat');
      await connector.control.setGitHubApp({ ...app(), webUrl: other.url, apiUrl: other.apiUrl });
      expect(connector.state().auth.owner).toBeNull();
      const activity = await connector.control.listActivity();
      expect(activity.some((e) => e.method === 'owner-cleared')).toBe(true);
      await connector.stop();
    } finally {
      await other.close();
    }
  });
});

describe('automatic updates', () => {
  it('is on by default, and turning it off is kept in settings.json', async () => {
    const { connector, dataDir } = await fresh({ tunnel: 'off' });
    expect(connector.state().autoUpdate).toBe(true);
    await connector.control.setAutoUpdate(false);
    expect(connector.state().autoUpdate).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as {
      autoUpdate: boolean;
    };
    expect(saved.autoUpdate).toBe(false);
    await connector.stop();
  });
});

describe('--allow-login', () => {
  it('resolves the login to its numeric id once and pins it as the owner', async () => {
    const { connector } = await fresh({
      githubClientId: DEFAULT_CLIENT.clientId,
      githubClientSecret: DEFAULT_CLIENT.clientSecret,
      githubWebUrl: github.url,
      githubApiUrl: github.apiUrl,
      allowLogin: 'mallory',
      tunnel: 'off',
    });
    expect(connector.state().auth.owner).toMatchObject({ id: 666, login: 'mallory' });
    await connector.stop();
  });

  it('resolves the login again on another GitHub host, where the same login is another account', async () => {
    const enterprise = await startFakeGitHub({
      users: [{ id: 4242, login: 'octocat', name: 'Enterprise Octocat' }],
    });
    try {
      const dataDir = await tempDir('porthole-setup-');
      dirs.push(dataDir);
      const options = {
        dataDir,
        port: 0,
        watch: false,
        log: () => {},
        secrets: new MemorySecretStore(),
        githubClientId: DEFAULT_CLIENT.clientId,
        githubClientSecret: DEFAULT_CLIENT.clientSecret,
        allowLogin: 'octocat',
        tunnel: 'off' as const,
      };
      const first = createConnector({ ...options, githubWebUrl: github.url, githubApiUrl: github.apiUrl });
      await first.start();
      expect(first.state().auth.owner?.id).toBe(1);
      await first.stop();
      const second = createConnector({
        ...options,
        githubWebUrl: enterprise.url,
        githubApiUrl: enterprise.apiUrl,
      });
      await second.start();
      expect(second.state().auth.owner).toMatchObject({ id: 4242, login: 'octocat' });
      const activity = await second.control.listActivity();
      expect(activity.some((e) => e.method === 'owner-cleared')).toBe(true);
      await second.stop();
    } finally {
      await enterprise.close();
    }
  });

  it('fails to start with a clear message for a login GitHub does not know', async () => {
    await expect(
      fresh({
        githubClientId: DEFAULT_CLIENT.clientId,
        githubClientSecret: DEFAULT_CLIENT.clientSecret,
        githubWebUrl: github.url,
        githubApiUrl: github.apiUrl,
        allowLogin: 'nobody-here',
        tunnel: 'off',
      }),
    ).rejects.toThrow(/no user named @nobody-here/);
  });
});

describe('one-click setup: a GitHub App from a manifest', () => {
  async function freshWithLog() {
    const dataDir = await tempDir('porthole-setup-');
    dirs.push(dataDir);
    const secrets = new MemorySecretStore();
    const lines: string[] = [];
    const connector = createConnector({
      dataDir,
      port: 0,
      watch: false,
      tunnel: 'off',
      log: (line) => lines.push(line),
      secrets,
    });
    await connector.start();
    const begin = () => connector.control.beginGitHubAppSetup({ webUrl: github.url, apiUrl: github.apiUrl });
    return { connector, secrets, dataDir, lines, begin };
  }

  it('creates a private GitHub App with no permissions and no webhook, keeps only its client id and secret, and signs the owner in through it', async () => {
    const { connector, secrets, dataDir, lines, begin } = await freshWithLog();
    const port = connector.state().server.port!;
    const { url } = await begin();
    expect(new URL(url).origin).toBe(`http://127.0.0.1:${port}`);
    expect(connector.state().auth.github.oneClick.state).toBe('waiting');
    const run = await createAppThroughManifest(new Browser('https://never.example/'), url);
    expect(run.action.startsWith(`${github.url}/settings/apps/new?state=`)).toBe(true);
    expect(run.manifest).toMatchObject({
      public: false,
      redirect_url: `http://127.0.0.1:${port}/github-app/created`,
      callback_urls: [`http://127.0.0.1:${port}/oauth/github/callback`],
    });
    expect(run.manifest).not.toHaveProperty('hook_attributes');
    expect(run.manifest).not.toHaveProperty('default_permissions');
    expect(run.final?.status).toBe(200);
    expect(run.final?.body).toContain('is ready');

    const created = github.createdApps().at(-1)!;
    expect(created).toMatchObject({ public: false, permissions: {}, hookActive: false });
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBe(created.clientSecret);
    const state = connector.state();
    expect(state.auth).toMatchObject({
      mode: 'oauth',
      github: {
        configured: true,
        kind: 'github-app',
        clientId: created.clientId,
        oneClick: { state: 'idle' },
      },
    });
    // GitHub Apps match callback URLs exactly: the port is kept for the next starts.
    const saved = readFileSync(path.join(dataDir, 'settings.json'), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ port, github: { clientId: created.clientId } });
    for (const secret of [created.clientSecret, created.webhookSecret, created.pem.split('\n')[1]!]) {
      expect(saved).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
      expect(JSON.stringify(state)).not.toContain(secret);
    }

    const signIn = await connector.control.beginOwnerSignIn();
    expect(await (await fetch(signIn.url)).text()).toContain('Signed in as @octocat');
    expect(connector.state().auth.owner?.login).toBe('octocat');
    const token = github.revokedTokens().at(-1)!;
    expect(token).toMatchObject({ clientId: created.clientId, login: 'octocat' });
    expect(token.accessToken.startsWith('ghu_')).toBe(true);
    await connector.stop();

    // The next start keeps the port, so the app's callback still matches; another port is told.
    const restart = async (portOverride?: number) => {
      const again: string[] = [];
      const next = createConnector({
        dataDir,
        port: portOverride,
        watch: false,
        tunnel: 'off',
        log: (l) => again.push(l),
        secrets,
      });
      await next.start();
      const problem = again.some((l) => l.includes('GitHub will refuse its sign-ins'));
      const samePort = next.state().server.port === port;
      await next.stop();
      return { problem, samePort };
    };
    expect(await restart()).toEqual({ problem: false, samePort: true });
    expect(await restart(0)).toEqual({ problem: true, samePort: false });
  });

  it('refuses a callback with an unknown or reused state, and one from another browser (4xx and a log line)', async () => {
    const { connector, lines, begin } = await freshWithLog();
    const base = connector.state().server.localUrl!;
    const forged = await fetch(`${base}/github-app/created?code=abc&state=forged`);
    expect(forged.status).toBe(400);
    expect(lines.some((l) => l.includes('refused a setup callback: unknown'))).toBe(true);

    const { url } = await begin();
    const person = new Browser('https://never.example/');
    const run = await createAppThroughManifest(person, url, { stopBeforeReturn: true });
    // Another browser (no cookie from the form page) brings GitHub's answer: refused, and
    // nothing is converted, so the person's own browser still finishes.
    const stranger = await new Browser('https://never.example/').go(run.returnUrl);
    expect(stranger.status).toBe(403);
    expect(lines.some((l) => l.includes('the state belongs to another browser'))).toBe(true);
    expect(connector.state().auth.github.configured).toBe(false);
    const mine = await person.go(run.returnUrl);
    expect(mine.status).toBe(200);
    expect(connector.state().auth.github.kind).toBe('github-app');
    // The same answer again: the state was used.
    const replay = await person.go(run.returnUrl);
    expect(replay.status).toBe(400);
    // The one-time link that opened the form is spent too.
    expect((await fetch(url)).status).toBe(400);
    await connector.stop();
  });

  it('says clearly when GitHub no longer accepts the code (used elsewhere, or older than an hour)', async () => {
    const { connector, lines, begin } = await freshWithLog();
    const person = new Browser('https://never.example/');
    const run = await createAppThroughManifest(person, (await begin()).url, { stopBeforeReturn: true });
    const code = new URL(run.returnUrl).searchParams.get('code')!;
    const first = await fetch(`${github.apiUrl}/app-manifests/${code}/conversions`, { method: 'POST' });
    expect(first.status).toBe(201);
    const back = await person.go(run.returnUrl);
    expect(back.status).toBe(400);
    expect(back.body).toContain('it works once, within an hour');
    expect(lines.some((l) => l.includes('setup code was not converted'))).toBe(true);
    expect(connector.state().auth.github).toMatchObject({ configured: false, oneClick: { state: 'error' } });

    const late = await createAppThroughManifest(person, (await begin()).url, { stopBeforeReturn: true });
    github.expireManifestCodes();
    expect((await person.go(late.returnUrl)).status).toBe(400);
    expect(connector.state().auth.github.configured).toBe(false);
    await connector.stop();
  });
});
