import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHost, startClientHost } from '../e2e/fixtures/chatgpt-like.ts';
import { type PortholeWithAuth, startPortholeWithAuth } from '../e2e/fixtures/porthole-auth.ts';
import { eventually } from './library/testing.ts';

// Production: no test fetch. oidc-provider fetches metadata documents over https only and
// drops connections to special-use addresses (private, loopback, link-local).
let host: ClientHost;
let porthole: PortholeWithAuth;

beforeAll(async () => {
  host = await startClientHost();
  porthole = await startPortholeWithAuth();
});

afterAll(async () => {
  await porthole?.close();
  await host?.close();
});

function authorizeUrl(clientId: string): string {
  const url = new URL('/authorize', porthole.base);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: host.redirectUrl,
    scope: 'mcp',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    resource: `${porthole.base}/mcp`,
  }).toString();
  return url.toString();
}

describe('Client ID Metadata Documents in production', () => {
  it('advertises CIMD support', async () => {
    const meta = (await (
      await fetch(`${porthole.base}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(meta.client_id_metadata_document_supported).toBe(true);
  });

  it('refuses an http client id', async () => {
    const res = await fetch(authorizeUrl(host.clientId.replace('https:', 'http:')), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses a client id whose host resolves to a loopback address, before any TLS', async () => {
    const res = await fetch(authorizeUrl(host.clientId), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    await eventually(() =>
      porthole.logLines.some((l) =>
        /localhost resolves to a private or special-use address \(127\.0\.0\.1/.test(l),
      ),
    );
  });
});
