import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from './browser.ts';
import { startFakeGitHub } from './fixtures/fake-github.ts';
import { type PortholeWithAuth, startPortholeWithAuth } from './fixtures/porthole-auth.ts';
import {
  clientEnv,
  expireStoredTokens,
  explained,
  FakeBrowserLog,
  freePort,
  INSPECTOR_LAUNCHER,
  installedVersion,
  MCP_REMOTE_PROXY,
  node22,
  readStoredTokens,
} from './fixtures/real-clients.ts';

// Real third-party MCP clients, installed from npm at pinned versions, against Porthole in
// OAuth mode with the fake GitHub. Each one finds the authorization server on its own,
// registers itself, opens "the browser" ($BROWSER = e2e/fixtures/fake-browser: headless
// Chromium that presses Continue on the consent page and picks octocat on GitHub), gets its
// tokens, and then searches and fetches. Spawned processes on a busy machine: long timeouts,
// and every wait is for an event (a response, an exit), never a sleep.

const missingChromium = chromiumMissing();
if (missingChromium) console.log(`real-clients: skipped: ${missingChromium}`);
const nodeForInspector = node22();
const missingNode22 = nodeForInspector
  ? null
  : 'the MCP Inspector needs Node >= 22: none here, in $PORTHOLE_NODE22 or in e2e/node22 (npm ci installs it)';
if (!missingChromium && missingNode22) console.log(`real-clients: Inspector CLI skipped: ${missingNode22}`);

/** Connecting includes launching Chromium and the whole consent flow. */
const CONNECT_MS = 120_000;
const TEST_MS = 180_000;

let porthole: PortholeWithAuth;
let workDir: string;

beforeAll(async () => {
  if (missingChromium) return;
  workDir = await mkdtemp(path.join(tmpdir(), 'porthole-real-clients-'));
  porthole = await startPortholeWithAuth({
    // The account picker shows, so the browser has to pick octocat, like a person.
    github: await startFakeGitHub({ autoLoginUser: null }),
    files: {
      'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour on Tuesday.',
      'recipes/soup.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
    },
  });
}, 60_000);

afterAll(async () => {
  await porthole?.close();
  await porthole?.github.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface SearchResult {
  results: { id: string; title: string; url: string }[];
}

describe.skipIf(missingChromium).each([
  { strategy: 'http-first', endpoint: '/mcp' },
  { strategy: 'sse-only', endpoint: '/sse' },
])(`mcp-remote ${installedVersion('mcp-remote')} --transport $strategy`, ({ strategy, endpoint }) => {
  let dir: string;
  let callbackPort: number;
  let browser: FakeBrowserLog;
  const clients: Client[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(workDir, `mcp-remote-${strategy}-`));
    callbackPort = await freePort();
    browser = new FakeBrowserLog(
      path.join(dir, 'browser.jsonl'),
      `http://localhost:${callbackPort}/oauth/callback`,
    );
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    browser?.killLeftovers();
  });

  /** mcp-remote as an MCP host runs it: a child process that speaks MCP on stdio. */
  async function connect(): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE_PROXY, `${porthole.base}${endpoint}`, String(callbackPort), '--transport', strategy],
      // Its tokens and client registration live in MCP_REMOTE_CONFIG_DIR, not ~/.mcp-auth.
      env: clientEnv(browser, { HOME: dir, MCP_REMOTE_CONFIG_DIR: path.join(dir, 'mcp-auth') }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => output.push(String(chunk)));
    const client = new Client({ name: 'porthole-e2e', version: '1' });
    clients.push(client);
    await client.connect(transport, { timeout: CONNECT_MS }).catch((error) => {
      throw explained(error, output, browser);
    });
    return client;
  }

  it(
    'signs in through the consent page and GitHub, then searches and fetches',
    async () => {
      const client = await connect();
      expect((await browser.step('consent')).heading).toMatch(/wants to search and read your shared folders/);
      expect((await browser.step('back')).url).toMatch(/[?&]code=/);

      const search = await client.callTool({ name: 'search', arguments: { query: 'tram tour' } });
      const results = (search.structuredContent as SearchResult).results;
      expect(results.map((r) => r.title)).toEqual(['Trip to Lisbon']);
      const doc = await client.callTool({ name: 'fetch', arguments: { id: results[0]!.id } });
      expect((doc.structuredContent as { text: string }).text).toContain('Book the tram tour on Tuesday.');
    },
    TEST_MS,
  );

  it(
    'started again, it reuses its stored tokens without opening the browser',
    async () => {
      const browserStarts = browser.steps().filter((s) => s.step === 'start').length;
      const client = await connect();
      const search = await client.callTool({ name: 'search', arguments: { query: 'soup' } });
      expect((search.structuredContent as SearchResult).results.map((r) => r.title)).toEqual(['soup.txt']);
      expect(browser.steps().filter((s) => s.step === 'start')).toHaveLength(browserStarts);
    },
    TEST_MS,
  );

  it(
    'with its access token expired, it refreshes it with the refresh token, without the browser',
    async () => {
      const configDir = path.join(dir, 'mcp-auth');
      const before = readStoredTokens(configDir);
      expect(before.refresh_token).toBeTruthy();
      expireStoredTokens(configDir);
      const browserStarts = browser.steps().filter((s) => s.step === 'start').length;

      const client = await connect();
      const search = await client.callTool({ name: 'search', arguments: { query: 'tram tour' } });
      expect((search.structuredContent as SearchResult).results.map((r) => r.title)).toEqual([
        'Trip to Lisbon',
      ]);
      const after = readStoredTokens(configDir);
      expect(after.access_token).not.toBe(before.access_token);
      expect(after.expires_at).toBeGreaterThan(Date.now());
      expect(browser.steps().filter((s) => s.step === 'start')).toHaveLength(browserStarts);
    },
    TEST_MS,
  );
});

describe.skipIf(missingChromium || missingNode22).each([
  { transport: 'http', endpoint: '/mcp' },
  { transport: 'sse', endpoint: '/sse' },
])(
  `MCP Inspector CLI ${installedVersion('@modelcontextprotocol/inspector')} --transport $transport`,
  ({ transport, endpoint }) => {
    let dir: string;
    let callbackUrl: string;
    let browser: FakeBrowserLog;
    const running = new Set<ChildProcess>();

    beforeAll(async () => {
      dir = await mkdtemp(path.join(workDir, 'inspector-cli-'));
      callbackUrl = `http://127.0.0.1:${await freePort()}/oauth/callback`;
      browser = new FakeBrowserLog(path.join(dir, 'browser.jsonl'), callbackUrl);
    });

    afterAll(() => {
      for (const child of running) child.kill('SIGKILL');
      browser?.killLeftovers();
    });

    /** One `mcp-inspector --cli` run: the JSON it prints ({ result }), or an error with its output. */
    function inspector(args: string[]): Promise<unknown> {
      const output: string[] = [];
      const child = spawn(
        nodeForInspector as string,
        [
          INSPECTOR_LAUNCHER,
          '--cli',
          `${porthole.base}${endpoint}`,
          '--transport',
          transport,
          '--callback-url',
          callbackUrl,
          '--format',
          'json',
          ...args,
        ],
        {
          env: clientEnv(browser, {
            // Its OAuth state and secrets go to files under this HOME, never the OS keychain.
            HOME: dir,
            MCP_STORAGE_DIR: path.join(dir, 'storage'),
            MCP_INSPECTOR_SECRET_STORE: 'file',
            // Without a TTY the CLI only prints the authorization URL unless told to open it.
            MCP_AUTO_OPEN_ENABLED: 'true',
          }),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      running.add(child);
      const stdout: string[] = [];
      child.stdout?.on('data', (chunk) => stdout.push(String(chunk)));
      child.stderr?.on('data', (chunk) => output.push(String(chunk)));
      const killer = setTimeout(() => child.kill('SIGKILL'), CONNECT_MS);
      return new Promise((resolve, reject) => {
        child.once('error', (error) => reject(explained(error, output, browser)));
        child.once('close', (code, signal) => {
          clearTimeout(killer);
          running.delete(child);
          const text = stdout.join('');
          if (code !== 0) {
            reject(explained(`exited with ${code ?? signal}: ${text}`, output, browser));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(explained(`${error}: ${text}`, output, browser));
          }
        });
      });
    }

    it(
      'signs in through the browser, searches, then fetches with the tokens it stored',
      async () => {
        const search = (await inspector([
          '--method',
          'tools/call',
          '--tool-name',
          'search',
          '--tool-arg',
          'query=tram tour',
        ])) as { result: { structuredContent: SearchResult } };
        expect((await browser.step('consent')).heading).toMatch(
          /wants to search and read your shared folders/,
        );
        await browser.step('back');
        const results = search.result.structuredContent.results;
        expect(results.map((r) => r.title)).toEqual(['Trip to Lisbon']);

        const starts = browser.steps().filter((s) => s.step === 'start').length;
        const doc = (await inspector([
          '--method',
          'tools/call',
          '--tool-name',
          'fetch',
          '--tool-arg',
          `id=${results[0]!.id}`,
        ])) as { result: { structuredContent: { text: string } } };
        expect(doc.result.structuredContent.text).toContain('Book the tram tour on Tuesday.');
        expect(browser.steps().filter((s) => s.step === 'start')).toHaveLength(starts);
      },
      TEST_MS * 2,
    );
  },
);
