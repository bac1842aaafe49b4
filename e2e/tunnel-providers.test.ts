import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelMode } from '../server/api.ts';
import { eventually } from '../server/library/testing.ts';
import { connectChatGptLike } from './fixtures/chatgpt-like.ts';
import { FAKE_CLOUDFLARED, fakeTunnelToken, readFakeState } from './fixtures/fake-cloudflared-testing.ts';
import { browserThroughNgrok, FakeNgrok } from './fixtures/fake-ngrok.ts';
import { type FakeTailscale, startFakeTailscale } from './fixtures/fake-tailscale-testing.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
  tunnelFetch,
} from './fixtures/porthole-auth.ts';

// A ChatGPT-like client connects through each tunnel provider, chosen in Settings as a person
// does: Cloudflare quick and named (the fake cloudflared), ngrok (the fake forwarder, with its
// free-plan browser interstitial) and Tailscale Funnel (the fake CLI). Each one's public URL becomes
// the issuer and the resource, the client signs in through consent and GitHub, and searches.

const NGROK_TOKEN = '2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789';
const NGROK_DOMAIN = 'porthole-e2e.ngrok-free.app';

interface Provider {
  mode: Exclude<TunnelMode, 'off'>;
  stable: boolean;
  /** Sets up the fake, then chooses the provider in Settings. */
  choose(porthole: PortholeWithAuth): Promise<void>;
  /** "The internet" for this provider's public URL. */
  internet(publicUrl: string): Promise<typeof fetch>;
  /** The person's browser on top of it. */
  browser?(internet: typeof fetch): typeof fetch;
  close(): Promise<void>;
}

function cloudflared(mode: 'quick' | 'named'): Provider & { env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), `porthole-e2e-${mode}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDFLARED_BIN: FAKE_CLOUDFLARED,
    FAKE_CLOUDFLARED_STATE_DIR: dir,
  };
  return {
    mode,
    stable: mode === 'named',
    env,
    async choose(porthole) {
      if (mode === 'quick') return porthole.connector.control.setTunnel({ mode: 'quick' });
      // A named tunnel's ingress comes from the Cloudflare dashboard: here, the fake's environment.
      env.FAKE_CLOUDFLARED_TARGET = porthole.base;
      env.FAKE_CLOUDFLARED_HOSTNAME = 'files.example.com';
      await porthole.connector.control.setTunnel({
        mode: 'named',
        hostname: 'files.example.com',
        token: fakeTunnelToken(),
      });
    },
    async internet(publicUrl) {
      const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
      return tunnelFetch(publicUrl, readFakeState(dir, Number(file!.replace('.json', '')))!.port);
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const ngrok = new FakeNgrok([
  { authtoken: NGROK_TOKEN, domains: [NGROK_DOMAIN], devDomain: 'dev-e2e.ngrok-free.dev' },
]);
let tailscale: FakeTailscale;

const providers: Provider[] = [
  cloudflared('quick'),
  cloudflared('named'),
  {
    mode: 'ngrok',
    stable: true,
    choose: (porthole) =>
      porthole.connector.control.setTunnel({
        mode: 'ngrok',
        ngrokAuthtoken: NGROK_TOKEN,
        ngrokDomain: NGROK_DOMAIN,
      }),
    internet: async (publicUrl) => tunnelFetch(publicUrl, ngrok.edgePort(publicUrl)),
    browser: browserThroughNgrok,
    close: () => ngrok.close(),
  },
  {
    mode: 'tailscale',
    stable: true,
    choose: (porthole) => porthole.connector.control.setTunnel({ mode: 'tailscale' }),
    internet: async (publicUrl) => tunnelFetch(publicUrl, await tailscale.edgePort(publicUrl)),
    close: () => tailscale.close(),
  },
];

describe.each(providers)('a ChatGPT-like client through the $mode tunnel', (provider) => {
  let porthole: PortholeWithAuth;

  beforeAll(async () => {
    tailscale ??= startFakeTailscale();
    const env =
      'env' in provider ? (provider.env as NodeJS.ProcessEnv) : { ...process.env, ...tailscale.env };
    porthole = await startPortholeWithAuth({
      files: { 'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour on Tuesday.' },
      connector: { tunnel: undefined, env, ngrok: ngrok.sdk, tailscalePollMs: 60_000 },
    });
    await provider.choose(porthole);
    await eventually(() => porthole.connector.state().tunnel.state === 'connected', 30_000);
  }, 90_000);

  afterAll(async () => {
    await porthole?.close();
    await provider.close();
  });

  it('signs in through consent and GitHub at the public URL, and searches', { timeout: 90_000 }, async () => {
    const state = porthole.connector.state();
    const publicUrl = state.tunnel.publicUrl!;
    expect(state.tunnel).toMatchObject({ mode: provider.mode, state: 'connected', stable: provider.stable });
    expect(state.mcpUrl).toBe(`${publicUrl}/mcp`);
    const internet = await provider.internet(publicUrl);
    const meta = (await (await internet(`${publicUrl}/.well-known/oauth-protected-resource/mcp`)).json()) as {
      resource: string;
      authorization_servers: string[];
    };
    expect(meta).toMatchObject({ resource: `${publicUrl}/mcp`, authorization_servers: [publicUrl] });
    const redirect = `http://127.0.0.1:9/${provider.mode}`;
    const person = provider.browser?.(internet) ?? internet;
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${publicUrl}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, person),
      fetch: internet,
    });
    const result = await chatgpt.client.callTool({ name: 'search', arguments: { query: 'tram' } });
    const [hit] = (result.structuredContent as { results: { title: string; url: string }[] }).results;
    expect(hit).toMatchObject({
      title: 'Trip to Lisbon',
      url: expect.stringMatching(new RegExp(`^${publicUrl}/view/`)),
    });
    await chatgpt.close();
    // A /view link opened by the person reaches Porthole (its owner sign-in), not a provider's page.
    const view = await person(hit!.url, { redirect: 'manual' });
    expect(view.headers.get('ngrok-error-code')).toBeNull();
    expect([200, 302, 303]).toContain(view.status);
  });

  if (provider.mode === 'ngrok')
    it('ngrok showed its interstitial to the browser, never to the client, and a browser that does not click through stops there', async () => {
      expect(ngrok.interstitialsShown).toBeGreaterThan(0);
      const publicUrl = porthole.connector.state().tunnel.publicUrl!;
      const internet = await provider.internet(publicUrl);
      const shownBefore = ngrok.interstitialsShown;
      const api = await internet(`${publicUrl}/.well-known/oauth-authorization-server`);
      expect(api.headers.get('ngrok-error-code')).toBeNull();
      const browserWithoutClick: typeof fetch = (input, init) =>
        internet(input, {
          ...init,
          headers: {
            accept: 'text/html,*/*;q=0.8',
            ...init?.headers,
            'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
          },
        });
      const page = await browserWithoutClick(`${publicUrl}/.well-known/oauth-authorization-server`);
      expect(page.headers.get('ngrok-error-code')).toBe('ERR_NGROK_6024');
      expect(ngrok.interstitialsShown).toBe(shownBefore + 1);
      // A browser-based MCP client skips it with ngrok's header, which Porthole's CORS allows.
      const preflight = await browserWithoutClick(`${publicUrl}/mcp`, {
        method: 'OPTIONS',
        headers: {
          accept: '*/*',
          origin: 'https://inspector.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, ngrok-skip-browser-warning',
        },
      });
      expect(preflight.headers.get('access-control-allow-headers')).toContain('ngrok-skip-browser-warning');
      const skipped = await browserWithoutClick(`${publicUrl}/.well-known/oauth-authorization-server`, {
        headers: { 'ngrok-skip-browser-warning': '1' },
      });
      expect(skipped.headers.get('ngrok-error-code')).toBeNull();
      expect(((await skipped.json()) as { issuer: string }).issuer).toBe(publicUrl);
    });
});
