// One-click setup: a GitHub App registered from a manifest, as GitHub documents it
// ("Registering a GitHub App from a manifest",
// https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest,
// and the REST endpoint "Create a GitHub App from a manifest",
// https://docs.github.com/en/rest/apps/apps#create-a-github-app-from-a-manifest).
// The browser POSTs the manifest to GitHub; the person clicks "Create GitHub App"; GitHub sends
// the browser back with a one-hour, single-use `code`, which POST /app-manifests/{code}/conversions
// (no authentication) turns into the app's credentials. Porthole keeps the client id and secret
// and drops everything else (private key, webhook secret) unread.
import { randomBytes } from 'node:crypto';
import { GitHubRefusedError, GitHubUnavailableError } from './client.ts';

/** Where GitHub's App callbacks point on this computer: the exact port (GitHub Apps match exactly). */
export const GITHUB_CALLBACK_PATH = '/oauth/github/callback';

export interface GitHubAppManifest {
  name: string;
  url: string;
  redirect_url: string;
  callback_urls: string[];
  description: string;
  public: false;
  request_oauth_on_install: false;
}

/**
 * The manifest: no permissions (a GitHub App reads the signed-in user's public profile,
 * `GET /user`, with none) and no webhook. `hook_attributes` is left out on purpose: GitHub
 * requires its `url` whenever the object is present, even with `active: false`, and refuses
 * webhook URLs it cannot reach over the internet; without the object the app has no webhook.
 */
export function gitHubAppManifest(options: {
  name: string;
  homepageUrl: string;
  redirectUrl: string;
  callbackUrls: string[];
}): GitHubAppManifest {
  return {
    name: options.name,
    url: options.homepageUrl,
    redirect_url: options.redirectUrl,
    // GitHub allows up to 10; the first is the default when a sign-in names none.
    callback_urls: options.callbackUrls.slice(0, 10),
    description: 'Signs you in to your own Porthole, so that only your GitHub account can connect.',
    public: false,
    request_oauth_on_install: false,
  };
}

/** "Porthole-3f9a2c": GitHub App names are unique across GitHub (and at most 34 characters). */
export function uniqueAppName(): string {
  return `Porthole-${randomBytes(3).toString('hex')}`;
}

/**
 * Where the manifest form is POSTed: the personal account's new-app page, or an organization's.
 * GitHub Enterprise Server has the same paths under its own web URL.
 */
export function manifestFormAction(webUrl: string, organization: string | null, state: string): string {
  const base = webUrl.replace(/\/+$/, '');
  const path = organization
    ? `/organizations/${encodeURIComponent(organization)}/settings/apps/new`
    : '/settings/apps/new';
  const url = new URL(`${base}${path}`);
  url.searchParams.set('state', state);
  return url.toString();
}

/** What Porthole keeps of a conversion: the rest (pem, webhook_secret) is never copied out. */
export interface CreatedGitHubApp {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  clientSecret: string;
  /** The app's page on GitHub (its settings are one click away). */
  htmlUrl: string | null;
  ownerLogin: string | null;
}

/** POST {api}/app-manifests/{code}/conversions: 201 with the app's credentials, 404/422 otherwise. */
export async function convertManifestCode(
  apiUrl: string,
  code: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<CreatedGitHubApp> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(code))
    throw new GitHubRefusedError('GitHub sent back a code that is not one of its codes.', 'bad_code');
  const url = `${apiUrl.replace(/\/+$/, '')}/app-manifests/${encodeURIComponent(code)}/conversions`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { accept: 'application/vnd.github+json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new GitHubUnavailableError(
      `GitHub (${new URL(url).host}) could not be reached: ${(error as Error).message}. Try again in a moment.`,
    );
  }
  if (response.status >= 500)
    throw new GitHubUnavailableError(
      `GitHub is having trouble (HTTP ${response.status}). Try again in a moment.`,
    );
  const text = await response.text();
  if (response.status !== 201) {
    // 404: unknown, already used, or older than an hour. 422: GitHub refused the app.
    throw new GitHubRefusedError(
      response.status === 404
        ? 'GitHub no longer accepts this setup code: it works once, within an hour. Start the setup again from Porthole.'
        : `GitHub did not create the app (HTTP ${response.status}). Start the setup again from Porthole.`,
      `http_${response.status}`,
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new GitHubUnavailableError('GitHub answered the setup with something that is not JSON.');
  }
  const str = (key: string) => (typeof json[key] === 'string' ? (json[key] as string) : null);
  const clientId = str('client_id');
  const clientSecret = str('client_secret');
  if (typeof json.id !== 'number' || !clientId || !clientSecret)
    throw new GitHubUnavailableError('GitHub answered the setup without the app’s client id and secret.');
  const owner = json.owner as { login?: unknown } | null | undefined;
  return {
    id: json.id,
    slug: str('slug') ?? String(json.id),
    name: str('name') ?? str('slug') ?? 'Porthole',
    clientId,
    clientSecret,
    htmlUrl: str('html_url'),
    ownerLogin: typeof owner?.login === 'string' ? owner.login : null,
  };
}
