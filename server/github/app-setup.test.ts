import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawRequest } from '../mcp/testing.ts';
import { createGitHubAppSetup, type GitHubAppSetup } from './app-setup.ts';
import { gitHubAppManifest, manifestFormAction } from './manifest.ts';

// The setup's pages answer the person at this computer only: the public listener also serves
// the tunnel's host, which must never see them (the listener lets that host through).

let server: Server;
let port: number;
let setup: GitHubAppSetup;
const lines: string[] = [];

beforeAll(async () => {
  const app = express();
  setup = createGitHubAppSetup({
    localBase: () => `http://127.0.0.1:${port}`,
    log: (l) => lines.push(l),
    changed: () => {},
  });
  setup.mount(app);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const request = () => ({
  webUrl: 'https://github.example.com',
  apiUrl: 'https://github.example.com/api/v3',
  organization: null,
  callbackUrls: [`http://127.0.0.1:${port}/oauth/github/callback`],
  onCreated: async () => {},
});

describe('the one-click setup pages', () => {
  it('are not served to another Host (the tunnel), and the link stays usable on loopback', async () => {
    const { url } = setup.begin(request());
    const target = new URL(url);
    const path = `${target.pathname}${target.search}`;
    for (const host of ['files.example.com', 'abc.trycloudflare.com']) {
      const res = await rawRequest(port, { path, headers: { host } });
      expect(res.status).toBe(404);
      const created = await rawRequest(port, {
        path: '/github-app/created?code=a&state=b',
        headers: { host },
      });
      expect(created.status).toBe(404);
    }
    const page = await rawRequest(port, { path, headers: { host: `127.0.0.1:${port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain('form-action https://github.example.com');
    expect(String(page.headers['set-cookie'])).toMatch(
      /porthole_app_setup=[^;]+; Path=\/github-app; HttpOnly; SameSite=Lax/,
    );
  });
});

describe('the state GitHub sends back', () => {
  it('expires after GitHub’s one hour, even in the browser that started it', async () => {
    const { url } = setup.begin(request());
    const target = new URL(url);
    const page = await rawRequest(port, {
      path: `${target.pathname}${target.search}`,
      headers: { host: `127.0.0.1:${port}` },
    });
    const state = new URL(/action="([^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&')).searchParams.get(
      'state',
    );
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61 * 60 * 1000 });
    try {
      const late = await rawRequest(port, {
        path: `/github-app/created?code=abc&state=${state}`,
        headers: { host: `127.0.0.1:${port}`, cookie },
      });
      expect(late.status).toBe(400);
      expect(lines.at(-1)).toContain('unknown, expired or already used state');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the waiting state', () => {
  it('ends with a message once the setup link has expired unused', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      const alone = createGitHubAppSetup({
        localBase: () => 'http://127.0.0.1:1',
        log: () => {},
        changed: () => {},
      });
      alone.begin(request());
      vi.advanceTimersByTime(9 * 60 * 1000);
      expect(alone.status().state).toBe('waiting');
      vi.advanceTimersByTime(2 * 60 * 1000);
      expect(alone.status()).toEqual({
        state: 'error',
        message: 'The GitHub App was not created: its setup link expired. Start again.',
      });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the manifest', () => {
  it('goes to the personal account, an organization, or a GitHub Enterprise Server', () => {
    expect(manifestFormAction('https://github.com', null, 's1')).toBe(
      'https://github.com/settings/apps/new?state=s1',
    );
    expect(manifestFormAction('https://github.com/', 'octo-org', 's2')).toBe(
      'https://github.com/organizations/octo-org/settings/apps/new?state=s2',
    );
    expect(manifestFormAction('https://ghe.example.com', null, 's3')).toBe(
      'https://ghe.example.com/settings/apps/new?state=s3',
    );
  });

  it('asks for no permissions, no webhook, and keeps at most 10 callback URLs', () => {
    const manifest = gitHubAppManifest({
      name: 'Porthole-abcdef',
      homepageUrl: 'http://127.0.0.1:4747/',
      redirectUrl: 'http://127.0.0.1:4747/github-app/created',
      callbackUrls: Array.from(
        { length: 12 },
        (_, i) => `http://127.0.0.1:${4000 + i}/oauth/github/callback`,
      ),
    });
    expect(manifest.public).toBe(false);
    expect(manifest.callback_urls).toHaveLength(10);
    expect(manifest).not.toHaveProperty('default_permissions');
    expect(manifest).not.toHaveProperty('hook_attributes');
    expect(manifest).not.toHaveProperty('default_events');
  });
});
