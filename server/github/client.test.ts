import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../../e2e/fixtures/fake-github.ts';
import { GitHubClient, GitHubRefusedError, GitHubUnavailableError } from './client.ts';
import { createPkce, randomState } from './pkce.ts';

let github: FakeGitHub;
const redirectUri = 'http://127.0.0.1:4567/oauth/github/callback';

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
});
afterAll(async () => {
  await github.close();
});

function client(overrides: Partial<ConstructorParameters<typeof GitHubClient>[0]> = {}) {
  return new GitHubClient({
    webUrl: github.url,
    apiUrl: github.apiUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    ...overrides,
  });
}

/** Follows the authorize redirect like a browser would, returning the callback's code and state. */
async function authorize(c: GitHubClient, challenge: string, state: string) {
  const response = await fetch(c.authorizeUrl({ redirectUri, state, codeChallenge: challenge }), {
    redirect: 'manual',
  });
  const location = new URL(response.headers.get('location') ?? '');
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') };
}

describe('GitHubClient against the fake GitHub', () => {
  it('signs in with PKCE, reads the user, and revokes the token right after', async () => {
    const c = client();
    const pkce = createPkce();
    const state = randomState();
    const callback = await authorize(c, pkce.challenge, state);
    expect(callback.state).toBe(state);
    const user = await c.completeSignIn({ code: callback.code, redirectUri, codeVerifier: pkce.verifier });
    expect(user).toMatchObject({ id: 1, login: 'octocat', name: 'The Octocat' });
    const [issued] = github.issuedTokens().slice(-1);
    expect(github.revokedTokens()).toContain(issued);
  });

  it('is refused with a wrong verifier, a reused code or a wrong secret', async () => {
    const c = client();
    const pkce = createPkce();
    const { code } = await authorize(c, pkce.challenge, randomState());
    await expect(
      c.exchangeCode({ code, redirectUri, codeVerifier: createPkce().verifier }),
    ).rejects.toBeInstanceOf(GitHubRefusedError);
    const fresh = await authorize(c, pkce.challenge, randomState());
    await c.exchangeCode({ code: fresh.code, redirectUri, codeVerifier: pkce.verifier });
    await expect(
      c.exchangeCode({ code: fresh.code, redirectUri, codeVerifier: pkce.verifier }),
    ).rejects.toThrow(/refused/);
    const other = await authorize(c, pkce.challenge, randomState());
    await expect(
      client({ clientSecret: 'wrong' }).exchangeCode({
        code: other.code,
        redirectUri,
        codeVerifier: pkce.verifier,
      }),
    ).rejects.toMatchObject({ code: 'incorrect_client_credentials' });
  });

  it('resolves a login to its numeric id, and says so when there is none', async () => {
    expect(await client().getUserByLogin('mallory')).toMatchObject({ id: 666, login: 'mallory' });
    await expect(client().getUserByLogin('nobody-here')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports GitHub down or slow as unavailable, never hangs', async () => {
    github.setDown('error');
    await expect(client().getUserByLogin('octocat')).rejects.toBeInstanceOf(GitHubUnavailableError);
    github.setDown('slow');
    await expect(client({ timeoutMs: 200 }).getUserByLogin('octocat')).rejects.toThrow(
      /no answer within 0.2 s/,
    );
    github.setDown('ok');
  });
});
