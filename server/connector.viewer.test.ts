import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortholeWithAuth, startPortholeWithAuth } from '../e2e/fixtures/porthole-auth.ts';
import { Browser } from './auth/testing.ts';

let porthole: PortholeWithAuth;
let viewUrl: string;

beforeAll(async () => {
  porthole = await startPortholeWithAuth({
    files: { 'trip.md': '# Trip to Lisbon\n\nBook the <b>tram</b> tour.' },
  });
  const [hit] = porthole.connector.library.search('tram');
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

  it('refuses a replayed session ticket', async () => {
    const res = await fetch(`${porthole.base}/view-session/made-up-ticket`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });
});
