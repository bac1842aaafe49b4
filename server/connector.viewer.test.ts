import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortholeWithAuth, startPortholeWithAuth } from '../e2e/fixtures/porthole-auth.ts';
import { PAGE_CSP } from './auth/interactions.ts';
import { Browser } from './auth/testing.ts';
import { createPkce, randomState } from './github/pkce.ts';
import { makePdf } from './library/extract/pdf-testing.ts';
import { BRAND_MARK } from './page-brand.ts';

const PDF = makePdf([['Tram map of Alfama']], '(Tram map)');

let porthole: PortholeWithAuth;
let viewUrl: string;

beforeAll(async () => {
  porthole = await startPortholeWithAuth({
    files: { 'trip.md': '# Trip to Lisbon\n\nBook the <b>tram</b> tour.' },
  });
  await writeFile(path.join(porthole.folder, 'map.pdf'), PDF);
  await porthole.connector.control.reindexFolder(porthole.connector.library.listFolders()[0]!.id);
  await porthole.connector.library.whenIdle();
  const [hit] = porthole.connector.library.search('lisbon');
  viewUrl = `${porthole.base}/view/${hit!.id}`;
});

afterAll(() => porthole?.close());

// Follows every redirect (no client redirect_uri here): the document, or the page that refuses.
const NOWHERE = 'http://0.invalid/';

describe('/view/:id, the document behind a search result', () => {
  it('sends a browser without a session to GitHub first', async () => {
    const res = await fetch(viewUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${porthole.github.url}/login/oauth/authorize`));
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows the owner the document, escaped, under a strict CSP; the session then holds', async () => {
    const browser = new Browser(NOWHERE);
    const page = await browser.go(viewUrl);
    expect(page.status).toBe(200);
    expect(page.url).toBe(viewUrl);
    expect(page.body).toContain('Trip to Lisbon');
    expect(page.body).not.toContain('<b>tram</b>');
    const again = await browser.go(viewUrl);
    expect(again.status).toBe(200);
    expect(porthole.github.issuedTokens().length).toBeGreaterThan(0);
  });

  it('serves a PDF inline, as itself, in a sandbox', async () => {
    const [hit] = porthole.connector.library.search('alfama');
    const browser = new Browser(NOWHERE);
    const res = await fetch(`${porthole.base}/view/${hit!.id}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const page = await browser.go(`${porthole.base}/view/${hit!.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(PDF.toString('latin1'));
  });

  it('refuses another GitHub account', async () => {
    porthole.github.setAutoLoginUser('mallory');
    try {
      const page = await new Browser(NOWHERE).go(viewUrl);
      expect(page.status).toBe(403);
      expect(page.body).toContain('Only the owner of this Porthole (@octocat)');
      expect(page.body).not.toContain('Book the');
    } finally {
      porthole.github.setAutoLoginUser('octocat');
    }
  });

  it('ignores a forged session cookie', async () => {
    const res = await fetch(viewUrl, {
      redirect: 'manual',
      headers: { cookie: `porthole_view=1.${Date.now() + 3_600_000}.forged` },
    });
    expect(res.status).toBe(303);
  });

  it('opens directly in the browser that just approved a connection as the owner, not in another', async () => {
    const redirect = 'http://127.0.0.1:9/callback';
    const registered = await fetch(`${porthole.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'ChatGPT-like',
        redirect_uris: [redirect],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const authorize = new URL(`${porthole.base}/authorize`);
    const pkce = createPkce();
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'mcp',
      state: randomState(),
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      resource: `${porthole.base}/mcp`,
    }))
      authorize.searchParams.set(k, v);
    const owner = new Browser(redirect);
    const consent = await owner.go(authorize.toString());
    const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
    // The consent page: the dashboard's look, under the same strict CSP (inline styles only).
    expect(consent.body).toContain(BRAND_MARK);
    const again = await fetch(consent.url, { headers: { cookie: owner.cookieHeader(consent.url) } });
    expect(again.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const back = await owner.go(consent.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
    });
    expect(new URL(back.url).searchParams.get('code')).toBeTruthy();

    // The citation link, right after: the document, with no trip to GitHub.
    const direct = await fetch(viewUrl, {
      redirect: 'manual',
      headers: { cookie: owner.cookieHeader(viewUrl) },
    });
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('Trip to Lisbon');
    // Any other browser still goes through GitHub first.
    const stranger = await fetch(viewUrl, { redirect: 'manual' });
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toMatch(
      new RegExp(`^${porthole.github.url}/login/oauth/authorize`),
    );
    await porthole.connector.control.revokeClient(clientId);
  });

  it('refuses a replayed session ticket, on a branded page under the strict CSP', async () => {
    const res = await fetch(`${porthole.base}/view-session/made-up-ticket`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(await res.text()).toContain(BRAND_MARK);
  });
});
