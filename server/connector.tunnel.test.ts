import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChatGptLike } from '../e2e/fixtures/chatgpt-like.ts';
import { FAKE_CLOUDFLARED, readFakeState } from '../e2e/fixtures/fake-cloudflared-testing.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
  tunnelFetch,
} from '../e2e/fixtures/porthole-auth.ts';
import { eventually } from './library/testing.ts';
import { rawRequest } from './mcp/testing.ts';

// The connector behind a quick tunnel (the fake cloudflared): the public URL becomes the
// issuer and the resource; when Cloudflare hands out a new URL, both follow, the person is
// told to update ChatGPT, and tokens for the old URL stop working.

let porthole: PortholeWithAuth;
const fakeDir = mkdtempSync(path.join(tmpdir(), 'porthole-tunnel-fake-'));

beforeAll(async () => {
  porthole = await startPortholeWithAuth({
    connector: {
      tunnel: 'quick',
      env: { ...process.env, CLOUDFLARED_BIN: FAKE_CLOUDFLARED, FAKE_CLOUDFLARED_STATE_DIR: fakeDir },
    },
  });
  await eventually(() => porthole.connector.state().tunnel.state === 'connected', 15_000);
}, 30_000);

afterAll(async () => {
  await porthole?.close();
  rmSync(fakeDir, { recursive: true, force: true });
});

function fake() {
  const [file] = readdirSync(fakeDir).filter((f) => f.endsWith('.json'));
  return readFakeState(fakeDir, Number(file!.replace('.json', '')))!;
}

describe('the connector behind a quick tunnel', () => {
  it('uses the public URL as issuer and resource, and lets a client in through it', async () => {
    const state = porthole.connector.state();
    const publicUrl = state.tunnel.publicUrl!;
    expect(state.publicBaseUrl).toBe(publicUrl);
    expect(state.mcpUrl).toBe(`${publicUrl}/mcp`);
    const via = tunnelFetch(publicUrl, fake().port);
    const meta = (await (await via(`${publicUrl}/.well-known/oauth-authorization-server`)).json()) as {
      issuer: string;
    };
    expect(meta.issuer).toBe(publicUrl);
    const activity = await porthole.connector.control.listActivity();
    expect(
      activity.some((e) => e.method === 'tunnel-url-changed' && e.summary.includes(`${publicUrl}/mcp`)),
    ).toBe(true);
  });

  it('follows a new URL: ChatGPT is told to update, and tokens for the old URL are refused', async () => {
    const oldUrl = porthole.connector.state().tunnel.publicUrl!;
    const oldFake = fake();
    const redirect = 'http://127.0.0.1:9/tunnel';
    const via = tunnelFetch(oldUrl, oldFake.port);
    const client = await connectChatGptLike({
      mcpUrl: `${oldUrl}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, via),
      fetch: via,
    });
    const token = client.provider.memory.tokens!.access_token;
    process.kill(oldFake.pid, 'SIGUSR1'); // Cloudflare re-creates the quick tunnel under a new name
    await eventually(() => {
      const t = porthole.connector.state().tunnel;
      return t.state === 'connected' && t.publicUrl !== oldUrl;
    }, 15_000);
    const newUrl = porthole.connector.state().tunnel.publicUrl!;
    const activity = await porthole.connector.control.listActivity();
    expect(
      activity.some(
        (e) =>
          e.method === 'tunnel-url-changed' &&
          e.summary.includes(`update the connector URL in ChatGPT to ${newUrl}/mcp`),
      ),
    ).toBe(true);
    const newVia = tunnelFetch(newUrl, fake().port);
    const res = await newVia(`${newUrl}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    // The old host is no longer an allowed Host header on the public listener.
    const direct = await rawRequest(porthole.port, {
      path: '/healthz',
      headers: { host: new URL(oldUrl).host },
    });
    expect(direct.status).toBe(403);
    const current = await rawRequest(porthole.port, {
      path: '/healthz',
      headers: { host: new URL(newUrl).host },
    });
    expect(current.status).toBe(200);
  });
});
