import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../server/library/testing.ts';
import { KeychainSecretStore, probeKeychain } from '../server/secrets.ts';
import { connectChatGptLike } from './fixtures/chatgpt-like.ts';
import { FAKE_CLOUDFLARED, isAlive, readFakeState } from './fixtures/fake-cloudflared-testing.ts';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from './fixtures/fake-github.ts';
import { approveWithRedirects, tunnelFetch } from './fixtures/porthole-auth.ts';

// `porthole serve` as a person on a home server runs it: GitHub OAuth App from the
// environment, --allow-login, a quick tunnel (the fake cloudflared), --json output. A
// ChatGPT-like client connects through the tunnel's public URL and searches; Ctrl-C leaves
// no process behind. The spawned serve keeps its secrets in the real keychain.

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
