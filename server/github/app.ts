// The GitHub OAuth App Porthole signs people in with: its id in settings, its secret in the
// keychain (or both from the environment), and the values a person pastes into GitHub's form.
import type { ControlApi, GitHubAppState } from '../api.ts';
import { GITHUB_COM } from '../api.ts';
import type { SecretStore } from '../secrets.ts';
import type { Settings, SettingsFile } from '../settings.ts';
import { GitHubClient } from './client.ts';
import type { CreatedGitHubApp } from './manifest.ts';

/** The keychain entry of the GitHub OAuth App's client secret. */
export const GITHUB_SECRET_NAME = 'github.client-secret';

/**
 * GitHub OAuth Apps accept a loopback callback on any port when the registered one is on
 * 127.0.0.1 without a port, so this one value works whatever port Porthole gets.
 */
export const GITHUB_CALLBACK_URL = 'http://127.0.0.1/oauth/github/callback';

export interface GitHubAppOverrides {
  clientId?: string;
  clientSecret?: string;
  webUrl?: string;
  apiUrl?: string;
}

export type GitHubAppInput = Parameters<ControlApi['setGitHubApp']>[0];

/**
 * Where the OAuth App comes from: the overrides (environment, CLI flags) until the person sets one
 * in the app; from then on, for the rest of this run, settings + keychain (what they chose wins).
 */
export class GitHubAppSource {
  #overrides: GitHubAppOverrides;

  constructor(
    overrides: GitHubAppOverrides,
    private readonly secrets: SecretStore,
    private readonly log: (line: string) => void,
  ) {
    this.#overrides = overrides;
  }

  /** The client to start with; null when no OAuth App is set up. */
  load(settings: Settings): Promise<GitHubClient | null> {
    return loadGitHubClient(settings, this.secrets, this.#overrides);
  }

  /**
   * Checks what a person typed, asks GitHub whether it accepts the client id and secret, then
   * stores them (the secret in the keychain) and returns the client to use from now on.
   */
  async save(app: GitHubAppInput, settings: SettingsFile): Promise<GitHubClient> {
    validateGitHubApp(app);
    const saved = settings.get().github;
    const clientSecret = app.clientSecret.trim();
    const candidate = new GitHubClient({
      clientId: app.clientId.trim(),
      clientSecret,
      webUrl: app.webUrl ?? saved.webUrl,
      apiUrl: app.apiUrl ?? saved.apiUrl,
    });
    await candidate.verifyCredentials().catch((error: Error) => {
      // Unreachable GitHub: keep the values (they may well be right) and say so in the log.
      if (error.name === 'GitHubUnavailableError')
        this.log(`github: could not check the OAuth App: ${error.message}`);
      else throw error;
    });
    await this.secrets.set(GITHUB_SECRET_NAME, clientSecret);
    const { webUrl, apiUrl } = candidate.endpoints;
    settings.update((s) => {
      s.github = { clientId: candidate.clientId, webUrl, apiUrl };
      s.githubRegistration = { kind: 'oauth-app', appUrl: null, callbackUrls: [] };
    });
    this.#overrides = {};
    return candidate;
  }

  /**
   * Keeps a GitHub App the one-click setup created: the secret in the keychain, the client id,
   * its page and callback URLs in settings. Its loopback callback names this run's port, and
   * GitHub Apps match callback URLs exactly, so the port is pinned in settings from now on.
   */
  async saveCreated(
    created: CreatedGitHubApp,
    where: { webUrl: string; apiUrl: string; callbackUrls: string[]; port: number },
    settings: SettingsFile,
  ): Promise<GitHubClient> {
    const client = new GitHubClient({
      clientId: created.clientId,
      clientSecret: created.clientSecret,
      webUrl: where.webUrl,
      apiUrl: where.apiUrl,
    });
    await this.secrets.set(GITHUB_SECRET_NAME, created.clientSecret);
    settings.update((s) => {
      s.github = { clientId: created.clientId, webUrl: where.webUrl, apiUrl: where.apiUrl };
      s.githubRegistration = {
        kind: 'github-app',
        appUrl: created.htmlUrl,
        callbackUrls: [...where.callbackUrls],
      };
      if (s.port === 0) s.port = where.port;
    });
    this.#overrides = {};
    return client;
  }
}

/** The client from overrides (env, flags), else settings + keychain; null when not set up. */
export async function loadGitHubClient(
  settings: Settings,
  secrets: SecretStore,
  overrides: GitHubAppOverrides = {},
): Promise<GitHubClient | null> {
  const clientId = overrides.clientId ?? settings.github.clientId;
  if (!clientId) return null;
  const clientSecret = overrides.clientSecret ?? (await secrets.get(GITHUB_SECRET_NAME));
  if (!clientSecret) return null;
  return new GitHubClient({
    webUrl: overrides.webUrl ?? settings.github.webUrl,
    apiUrl: overrides.apiUrl ?? settings.github.apiUrl,
    clientId,
    clientSecret,
  });
}

export function gitHubAppState(
  saved: Pick<Settings, 'github' | 'githubRegistration'> | null,
  client: GitHubClient | null,
  oneClick: GitHubAppState['oneClick'] = { state: 'idle', message: null },
): GitHubAppState {
  const webUrl = client?.endpoints.webUrl ?? saved?.github.webUrl ?? GITHUB_COM.webUrl;
  // The registration describes the saved app; an app from the environment or flags is an OAuth App.
  const registration =
    saved && (!client || client.clientId === saved.github.clientId) ? saved.githubRegistration : null;
  return {
    kind: registration?.kind ?? 'oauth-app',
    appUrl: registration?.appUrl ?? null,
    callbackUrls: [...(registration?.callbackUrls ?? [])],
    oneClick,
    configured: client !== null,
    clientId: client?.clientId ?? saved?.github.clientId ?? null,
    webUrl,
    apiUrl: client?.endpoints.apiUrl ?? saved?.github.apiUrl ?? GITHUB_COM.apiUrl,
    setup: {
      newAppUrl: `${webUrl.replace(/\/+$/, '')}/settings/applications/new`,
      applicationName: 'Porthole',
      homepageUrl: 'http://127.0.0.1/',
      callbackUrl: GITHUB_CALLBACK_URL,
    },
  };
}

/** Checks what a person typed before anything is stored. */
export function validateGitHubApp(app: GitHubAppInput): void {
  if (!/^[A-Za-z0-9._-]{6,100}$/.test(app.clientId.trim()))
    throw new Error('That does not look like a GitHub client ID (copy it from the OAuth App page).');
  if (app.clientSecret.trim().length < 10)
    throw new Error('That does not look like a GitHub client secret (generate one on the OAuth App page).');
  for (const url of [app.webUrl, app.apiUrl]) {
    if (url === undefined) continue;
    const parsed = URL.parse(url);
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
      throw new Error(`${url} is not a web address (https://…).`);
  }
}
