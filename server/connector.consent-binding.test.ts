// The attack run's critical finding, replayed: Mallory starts a consent for her own client,
// presses Continue, and sends the resulting GitHub link to the owner. The owner's browser
// completes GitHub; Mallory, who holds the interaction cookie, then tries to finish the
// consent. No code may reach her. Also: the same GitHub link cannot be used to flush the
// owner's pending sign-ins, and the consent page tells a stranger nothing private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortholeWithAuth, startPortholeWithAuth } from '../e2e/fixtures/porthole-auth.ts';
import { MAX_PENDING_PER_CALLER } from './auth/github-step.ts';
import { Browser } from './auth/testing.ts';
import { createPkce, randomState } from './github/pkce.ts';

const ATTACKER_CALLBACK = 'https://attacker.example/cb';
let porthole: PortholeWithAuth;

beforeAll(async () => {
  porthole = await startPortholeWithAuth();
});
afterAll(async () => {
  await porthole?.close();
});

async function registerAttackerClient(): Promise<string> {
  const res = await fetch(`${porthole.base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Totally ChatGPT',
      redirect_uris: [ATTACKER_CALLBACK],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

/** Mallory's browser: /authorize, the consent page, Continue; returns the GitHub URL it was sent to. */
async function malloryStartsConsent(mallory: Browser, clientId: string) {
  const authorize = new URL(`${porthole.base}/authorize`);
  const pkce = createPkce();
  for (const [k, v] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: ATTACKER_CALLBACK,
    scope: 'mcp',
    state: randomState(),
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    resource: `${porthole.base}/mcp`,
  }))
    authorize.searchParams.set(k, v);
  const consent = await mallory.go(authorize.toString());
  expect(consent.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const res = await fetch(consent.url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: mallory.cookieHeader(consent.url),
    },
    body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
  });
  expect(res.status).toBe(303);
  const githubUrl = res.headers.get('location') ?? '';
  expect(githubUrl.startsWith(porthole.github.url)).toBe(true);
  return { consentUrl: consent.url, githubUrl, consentBody: consent.body };
}

describe('a consent is finished only by the browser that signed in with GitHub', () => {
  it("refuses Mallory a code after the owner's browser completed GitHub on her link", async () => {
    const clientId = await registerAttackerClient();
    const mallory = new Browser(ATTACKER_CALLBACK);
    const { consentUrl, githubUrl } = await malloryStartsConsent(mallory, clientId);

    // The owner opens the link (GitHub skips its prompt: octocat signs in automatically).
    const owner = new Browser(ATTACKER_CALLBACK);
    const ownerLanding = await owner.go(githubUrl);
    expect(ownerLanding.url.startsWith(ATTACKER_CALLBACK)).toBe(false);
    expect(ownerLanding.status).toBe(400);

    // Mallory finishes with her cookie: with no ticket, and with a made-up one.
    for (const finish of [`${consentUrl}/finish`, `${consentUrl}/finish?ticket=forged`]) {
      const end = await mallory.go(finish);
      expect(end.url.startsWith(ATTACKER_CALLBACK)).toBe(false);
      expect(end.status).toBe(403);
      expect(end.body).toContain('same browser');
    }
    expect(porthole.logLines.some((l) => l.includes('finish refused'))).toBe(true);
    expect(await porthole.connector.control.listClients()).toEqual([]);
    // Neither browser got the document viewer's session either (it comes only with a finished consent).
    expect(mallory.cookieHeader(porthole.base)).not.toContain('porthole_view');
    expect(owner.cookieHeader(porthole.base)).not.toContain('porthole_view');
  });

  it('a ticket is bound to its own consent and works once', async () => {
    const clientId = await registerAttackerClient();
    // Two consents, in two browsers: the ticket of the first cannot finish the second.
    const browser = new Browser(ATTACKER_CALLBACK);
    const first = await malloryStartsConsent(browser, clientId);
    const other = new Browser(ATTACKER_CALLBACK);
    const second = await malloryStartsConsent(other, clientId);
    const landing = await fetch(first.githubUrl, { redirect: 'manual' });
    const callback = landing.headers.get('location') ?? '';
    const toFinish = await fetch(callback, { redirect: 'manual' });
    const finishUrl = new URL(toFinish.headers.get('location') ?? '', porthole.base);
    const ticket = finishUrl.searchParams.get('ticket') ?? '';
    expect(ticket.length).toBeGreaterThan(20);
    expect(toFinish.headers.get('referrer-policy')).toBe('no-referrer');

    const crossed = await other.go(`${second.consentUrl}/finish?ticket=${ticket}`);
    expect(crossed.status).toBe(403);
    const right = await browser.go(finishUrl.toString());
    expect(right.url.startsWith(ATTACKER_CALLBACK)).toBe(true);
    expect(new URL(right.url).searchParams.get('code')).toBeTruthy();
    // Replayed: the interaction is over and the ticket spent.
    const again = await browser.go(finishUrl.toString());
    expect(again.url.startsWith(ATTACKER_CALLBACK)).toBe(false);
    await porthole.connector.control.revokeClient(clientId);
  });
});

describe('the consent page before the visitor is known', () => {
  it('shows folder names, not local paths or the owner', async () => {
    const clientId = await registerAttackerClient();
    const { consentBody } = await malloryStartsConsent(new Browser(ATTACKER_CALLBACK), clientId);
    const name = porthole.folder.split('/').pop() as string;
    expect(consentBody).toContain(name);
    expect(consentBody).not.toContain(porthole.folder);
    expect(consentBody).not.toContain('octocat');
    // No stable public URL (no tunnel here, or a quick one): said before anyone goes to GitHub.
    expect(consentBody).toContain('Do this on the computer where Porthole runs.');
  });
});

describe("pending GitHub sign-ins cannot be flushed by someone else's requests", () => {
  it("keeps the owner's pending consent while strangers open 300 viewer links", async () => {
    const clientId = await registerAttackerClient();
    const owner = new Browser(ATTACKER_CALLBACK);
    const pending = await malloryStartsConsent(owner, clientId);
    // Strangers through the tunnel: one address hammering, then many addresses once each.
    const viewFrom = (address: string) =>
      fetch(`${porthole.base}/view/abc`, { redirect: 'manual', headers: { 'cf-connecting-ip': address } });
    const hammered = await Promise.all(Array.from({ length: 150 }, () => viewFrom('203.0.113.9')));
    // Rate-limited as well: most of the hammering never starts a sign-in.
    expect(hammered.filter((r) => r.status === 429).length).toBeGreaterThan(100);
    await Promise.all(Array.from({ length: 150 }, (_, i) => viewFrom(`198.51.100.${i}`)));
    // The owner's GitHub sign-in still completes: a code, not "expired".
    const landing = await fetch(pending.githubUrl, { redirect: 'manual' });
    const back = await owner.go(landing.headers.get('location') ?? '');
    expect(back.url.startsWith(ATTACKER_CALLBACK)).toBe(true);
    expect(MAX_PENDING_PER_CALLER).toBeLessThan(150);
    await porthole.connector.control.revokeClient(clientId);
  });
});
