import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../../e2e/fixtures/fake-github.ts';
import { removeDirs, tempDir } from '../library/testing.ts';
import { MemorySecretStore } from '../secrets.ts';
import { SettingsFile } from '../settings.ts';
import { GITHUB_SECRET_NAME, GitHubAppSource, gitHubAppState, validateGitHubApp } from './app.ts';

// Where the GitHub OAuth App comes from (flags and environment, then what the person saved), and
// saving one: checked with GitHub (the fake) before anything is stored.

let github: FakeGitHub;
const dirs: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub();
});
afterEach(() => github.setDown('ok'));
afterAll(async () => {
  await github.close();
  await removeDirs(...dirs);
});

async function fresh() {
  const dir = await tempDir('porthole-github-app-');
  dirs.push(dir);
  const lines: string[] = [];
  const secrets = new MemorySecretStore();
  const settings = SettingsFile.open(dir, { log: () => {} });
  const source = (overrides = {}) => new GitHubAppSource(overrides, secrets, (line) => lines.push(line));
  return { secrets, settings, source, lines };
}

const app = () => ({
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  webUrl: github.url,
  apiUrl: github.apiUrl,
});

describe('GitHubAppSource', () => {
  it('has no client until an OAuth App is set up', async () => {
    const { settings, source } = await fresh();
    expect(await source().load(settings.get())).toBeNull();
  });

  it('takes the environment and flags over settings and the keychain', async () => {
    const { settings, source } = await fresh();
    const client = await source({ clientId: 'from-env-id', clientSecret: 'from-env-secret' }).load(
      settings.get(),
    );
    expect(client?.clientId).toBe('from-env-id');
    expect(client?.endpoints.webUrl).toBe('https://github.com');
  });

  it('saves an app GitHub accepts: the secret (trimmed) to the keychain, the rest to settings', async () => {
    const { secrets, settings, source } = await fresh();
    const apps = source({ clientId: 'from-env-id', clientSecret: 'from-env-secret' });
    const client = await apps.save({ ...app(), clientSecret: ` ${DEFAULT_CLIENT.clientSecret} ` }, settings);
    expect(client.clientId).toBe(DEFAULT_CLIENT.clientId);
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBe(DEFAULT_CLIENT.clientSecret);
    expect(settings.get().github).toEqual({
      clientId: DEFAULT_CLIENT.clientId,
      webUrl: github.url,
      apiUrl: github.apiUrl,
    });
    // What the person chose wins over the environment from now on.
    expect((await apps.load(settings.get()))?.clientId).toBe(DEFAULT_CLIENT.clientId);
  });

  it('stores nothing when GitHub refuses the client id and secret', async () => {
    const { secrets, settings, source } = await fresh();
    await expect(source().save({ ...app(), clientSecret: 'wrong-secret-0000' }, settings)).rejects.toThrow(
      /does not accept this client ID and secret/,
    );
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBeNull();
    expect(settings.get().github.clientId).toBeNull();
  });

  it('keeps the values when GitHub cannot be reached, and says so in the log', async () => {
    const { secrets, settings, source, lines } = await fresh();
    github.setDown('error');
    await source().save(app(), settings);
    expect(await secrets.get(GITHUB_SECRET_NAME)).toBe(DEFAULT_CLIENT.clientSecret);
    expect(lines.some((line) => line.startsWith('github: could not check the OAuth App'))).toBe(true);
  });
});

describe('validateGitHubApp', () => {
  it('refuses what cannot be a client id, a client secret or a web address', () => {
    expect(() => validateGitHubApp({ ...app(), clientId: 'x' })).toThrow(/client ID/);
    expect(() => validateGitHubApp({ ...app(), clientSecret: 'short' })).toThrow(/client secret/);
    expect(() => validateGitHubApp({ ...app(), webUrl: 'ftp://github.example' })).toThrow(/web address/);
    expect(() => validateGitHubApp(app())).not.toThrow();
  });
});

describe('gitHubAppState', () => {
  it('gives the values to create the OAuth App on the GitHub host in use', () => {
    const state = gitHubAppState(
      {
        github: {
          clientId: null,
          webUrl: 'https://github.example.com/',
          apiUrl: 'https://github.example.com/api/v3',
        },
        githubRegistration: { kind: 'oauth-app', appUrl: null, callbackUrls: [] },
      },
      null,
    );
    expect(state).toMatchObject({
      configured: false,
      clientId: null,
      setup: {
        newAppUrl: 'https://github.example.com/settings/applications/new',
        callbackUrl: 'http://127.0.0.1/oauth/github/callback',
      },
    });
  });
});
