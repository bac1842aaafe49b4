import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../server/library/testing.ts';
import { KeychainSecretStore, probeKeychain } from '../server/secrets.ts';
import { connectChatGptLike } from './fixtures/chatgpt-like.ts';
import { FAKE_CLOUDFLARED, isAlive, readFakeState } from './fixtures/fake-cloudflared-testing.ts';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from './fixtures/fake-github.ts';
import { type FakeTailscale, startFakeTailscale } from './fixtures/fake-tailscale-testing.ts';
import { approveWithRedirects, tunnelFetch } from './fixtures/porthole-auth.ts';

// `porthole serve` as a person on a home server runs it: GitHub OAuth App from the
// environment, --allow-login, a quick tunnel (the fake cloudflared), --json output. A
// ChatGPT-like client connects through the tunnel's public URL and searches; Ctrl-C leaves
// no process behind. Then `--tunnel tailscale` (the fake tailscale CLI): a stable URL, the choice
// remembered in settings, and Ctrl-C removes the funnel it added. The spawned serve keeps its
// secrets in the real keychain.

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'cli.ts');
const keychain = await probeKeychain(
  new KeychainSecretStore({ service: `porthole-e2e-probe-${process.pid}` }),
);
const missing = keychain.ok ? null : `no usable keychain here (${keychain.reason})`;
if (missing && process.env.PORTHOLE_REQUIRE_KEYCHAIN === '1')
  throw new Error(`PORTHOLE_REQUIRE_KEYCHAIN=1 but ${missing}`);
if (missing) console.log(`serve-tunnel: skipped: ${missing}`);

let github: FakeGitHub;
let child: ChildProcess;
let out = '';
const dirs: string[] = [];
const events: Record<string, unknown>[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

// A spawned `serve` imports the whole connector through tsx, indexes and starts the fake
// cloudflared: on a 2-core machine under stress-ng that took over 20 s.
const SPAWN_MS = 90_000;

async function next(event: string): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await eventually(() => {
    found = events.find((e) => e.event === event);
    return found !== undefined;
  }, SPAWN_MS);
  return found as Record<string, unknown>;
}

let folder: string;
let dataDir: string;
let fakeDir: string;

beforeAll(async () => {
  if (missing) return;
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  folder = temp('porthole-serve-folder-');
  writeFileSync(path.join(folder, 'garden.md'), '# Garden\n\nTomatoes and basil by the south fence.\n');
  dataDir = temp('porthole-serve-data-');
  fakeDir = temp('porthole-serve-fake-');
  const { GITHUB_CLIENT_ID: _a, GITHUB_CLIENT_SECRET: _b, ...env } = process.env;
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'serve',
      '--folder',
      folder,
      '--data-dir',
      dataDir,
      '--tunnel',
      'quick',
      '--allow-login',
      'octocat',
      '--github-url',
      github.url,
      '--github-api-url',
      github.apiUrl,
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        GITHUB_CLIENT_ID: DEFAULT_CLIENT.clientId,
        GITHUB_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
        CLOUDFLARED_BIN: FAKE_CLOUDFLARED,
        FAKE_CLOUDFLARED_STATE_DIR: fakeDir,
      },
    },
  );
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line));
      nl = buffer.indexOf('\n');
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await github?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing)('porthole serve behind the fake quick tunnel', () => {
  it('prints a ready line, then the public connector URL', { timeout: 2 * SPAWN_MS }, async () => {
    const ready = await next('ready');
    expect(ready).toMatchObject({
      authMode: 'oauth',
      owner: { id: 1, login: 'octocat' },
      folders: [folder],
      dataDir,
    });
    expect(String(ready.dashboardUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const tunnel = await next('tunnel');
    expect(String(tunnel.mcpUrl)).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com\/mcp$/);
  });

  it('lets a ChatGPT-like client in through the tunnel, and searches', async () => {
    const tunnel = await next('tunnel');
    const publicUrl = String(tunnel.publicUrl);
    const [stateFile] = readdirSync(fakeDir).filter((f) => f.endsWith('.json'));
    const fake = readFakeState(fakeDir, Number(stateFile!.replace('.json', '')))!;
    const viaTunnel = tunnelFetch(publicUrl, fake.port);
    const meta = (await (
      await viaTunnel(`${publicUrl}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as {
      resource: string;
    };
    expect(meta.resource).toBe(`${publicUrl}/mcp`);
    const redirect = 'http://127.0.0.1:9/callback';
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${publicUrl}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, viaTunnel),
      fetch: viaTunnel,
    });
    const result = await chatgpt.client.callTool({ name: 'search', arguments: { query: 'basil' } });
    expect((result.structuredContent as { results: { title: string; url: string }[] }).results).toEqual([
      expect.objectContaining({
        title: 'Garden',
        url: expect.stringMatching(new RegExp(`^${publicUrl}/view/`)),
      }),
    ]);
    await chatgpt.close();
    await eventually(() =>
      events.some((e) => e.event === 'activity' && (e.entry as { tool?: string }).tool === 'search'),
    );
  });

  it('stops on Ctrl-C with exit 0 and leaves no cloudflared behind', async () => {
    const [stateFile] = readdirSync(fakeDir).filter((f) => f.endsWith('.json'));
    const cloudflaredPid = Number(stateFile!.replace('.json', ''));
    expect(isAlive(cloudflaredPid)).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    await eventually(() => !isAlive(cloudflaredPid), 10_000);
  });
});

describe.skipIf(missing)('porthole serve --tunnel tailscale', () => {
  let ts: FakeTailscale;
  let serve: ChildProcess;
  let tsData: string;
  let stderr = '';
  const seen: Record<string, unknown>[] = [];

  beforeAll(async () => {
    ts = startFakeTailscale();
    github ??= await startFakeGitHub({ autoLoginUser: 'octocat' });
    tsData = temp('porthole-serve-ts-data-');
    const { GITHUB_CLIENT_ID: _a, GITHUB_CLIENT_SECRET: _b, ...env } = process.env;
    serve = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'serve',
        '--data-dir',
        tsData,
        '--tunnel',
        'tailscale',
        '--allow-login',
        'octocat',
        '--github-url',
        github.url,
        '--github-api-url',
        github.apiUrl,
        '--json',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...env,
          ...ts.env,
          GITHUB_CLIENT_ID: DEFAULT_CLIENT.clientId,
          GITHUB_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
        },
      },
    );
    let buffer = '';
    serve.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) seen.push(JSON.parse(line));
    });
    serve.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
  }, 60_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    await ts?.close();
  });

  it('serves at the Tailscale Funnel URL, stable, and remembers the choice', {
    timeout: 2 * SPAWN_MS,
  }, async () => {
    let tunnel: Record<string, unknown> | undefined;
    await eventually(() => {
      tunnel = seen.find((e) => e.event === 'tunnel');
      return tunnel !== undefined;
    }, SPAWN_MS);
    expect(tunnel).toMatchObject({
      mcpUrl: 'https://porthole-box.tail1234.ts.net/mcp',
      stable: true,
      previousUrl: null,
    });
    const settings = JSON.parse(readFileSync(path.join(tsData, 'settings.json'), 'utf8'));
    expect(settings.tunnel).toMatchObject({
      mode: 'tailscale',
      lastPublicUrl: 'https://porthole-box.tail1234.ts.net',
    });
    const via = tunnelFetch(
      'https://porthole-box.tail1234.ts.net',
      await ts.edgePort('https://porthole-box.tail1234.ts.net'),
    );
    const meta = (await (
      await via('https://porthole-box.tail1234.ts.net/.well-known/oauth-authorization-server')
    ).json()) as {
      issuer: string;
    };
    expect(meta.issuer).toBe('https://porthole-box.tail1234.ts.net');
  });

  it('on Ctrl-C removes the funnel it added', async () => {
    expect(ts.read().serve.Web).toHaveProperty(['porthole-box.tail1234.ts.net:443']);
    serve.kill('SIGINT');
    const code = await new Promise((resolve) => serve.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(ts.read().serve.Web).toEqual({});
  });
});
