// The GitHub web flow (an OAuth App, or a GitHub App's user authorization), as Porthole uses it:
// one sign-in to learn who is at the keyboard (numeric id and login), then the token is revoked.
// Porthole keeps no GitHub token. Base URLs are settings, so GitHub Enterprise Server and the
// test fake work alike.

export interface GitHubEndpoints {
  /** https://github.com, or https://HOST for GitHub Enterprise Server. */
  webUrl: string;
  /** https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
}

export interface GitHubCredentials {
  clientId: string;
  clientSecret: string;
}

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
}

/** GitHub could not be reached, answered 5xx, or took too long. Worth a retry later. */
export class GitHubUnavailableError extends Error {
  override name = 'GitHubUnavailableError';
}

/** GitHub answered, and said no (bad code, wrong client secret, bad token). */
export class GitHubRefusedError extends Error {
  override name = 'GitHubRefusedError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface GitHubClientOptions extends GitHubEndpoints, GitHubCredentials {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class GitHubClient {
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: GitHubClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  get endpoints(): GitHubEndpoints {
    return { webUrl: this.options.webUrl, apiUrl: this.options.apiUrl };
  }

  /** Where to send the browser. No scope: reading the public profile of the signed-in user needs none. */
  authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string }): string {
    const url = new URL('/login/oauth/authorize', this.options.webUrl);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', params.redirectUri);
    url.searchParams.set('state', params.state);
    url.searchParams.set('code_challenge', params.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('allow_signup', 'false');
    return url.toString();
  }

  /**
   * Checks the client id and secret without a sign-in: GitHub answers a made-up code with
   * `bad_verification_code` when the credentials are right, `incorrect_client_credentials` when not.
   */
  async verifyCredentials(): Promise<void> {
    try {
      await this.exchangeCode({
        code: 'porthole-credential-check',
        redirectUri: 'http://127.0.0.1/oauth/github/callback',
        codeVerifier: 'porthole-credential-check-porthole-credential-check',
      });
    } catch (error) {
      if (error instanceof GitHubRefusedError && error.code === 'incorrect_client_credentials')
        throw new GitHubRefusedError(
          'GitHub does not accept this client ID and secret: copy both again from the OAuth App page (generate a new secret if needed).',
          error.code,
        );
      if (error instanceof GitHubRefusedError) return;
      throw error;
    }
  }

  /** Exchanges the callback's code for a token (GitHub answers errors with HTTP 200 and an `error` field). */
  async exchangeCode(params: { code: string; redirectUri: string; codeVerifier: string }): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      code: params.code,
      redirect_uri: params.redirectUri,
      code_verifier: params.codeVerifier,
    });
    const response = await this.request(new URL('/login/oauth/access_token', this.options.webUrl), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await readJson(response)) as {
      access_token?: unknown;
      error?: string;
      error_description?: string;
    };
    if (typeof json.access_token === 'string' && json.access_token) return json.access_token;
    throw new GitHubRefusedError(
      `GitHub refused the sign-in: ${json.error_description ?? json.error ?? `HTTP ${response.status}`}`,
      json.error ?? `http_${response.status}`,
    );
  }

  async getUser(token: string): Promise<GitHubUser> {
    const response = await this.request(this.api('/user'), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
    });
    if (response.status === 401)
      throw new GitHubRefusedError('GitHub did not accept the sign-in token.', 'bad_credentials');
    return toUser(await readJson(response));
  }

  /** Resolves a login to its account (for pinning an owner by login once). */
  async getUserByLogin(login: string): Promise<GitHubUser> {
    const response = await this.request(this.api(`/users/${encodeURIComponent(login)}`), {
      headers: { accept: 'application/vnd.github+json' },
    });
    if (response.status === 404)
      throw new GitHubRefusedError(`GitHub has no user named @${login}.`, 'not_found');
    return toUser(await readJson(response));
  }

  /** DELETE /applications/{client_id}/token: the token stops working at GitHub. */
  async revokeToken(token: string): Promise<void> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    const response = await this.request(
      this.api(`/applications/${encodeURIComponent(this.options.clientId)}/token`),
      {
        method: 'DELETE',
        headers: {
          authorization: `Basic ${basic}`,
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ access_token: token }),
      },
    );
    // 404: the token is already invalid, which is what we wanted.
    if (response.status !== 204 && response.status !== 404) {
      throw new GitHubRefusedError(
        `GitHub did not revoke the sign-in token (HTTP ${response.status}).`,
        `http_${response.status}`,
      );
    }
  }

  /**
   * The whole sign-in after the callback: code → token → user, and the token revoked whatever
   * happens. The same for both kinds of app: a GitHub App ignores scopes, and its user token
   * (ghu_, 8 hours) comes with a refresh token (ghr_, 6 months) that is dropped unread here, so
   * nothing of GitHub's outlives the sign-in ("Generating a user access token for a GitHub App").
   */
  async completeSignIn(params: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<GitHubUser> {
    const token = await this.exchangeCode(params);
    try {
      return await this.getUser(token);
    } finally {
      await this.revokeToken(token).catch(() => {});
    }
  }

  private api(path: string): URL {
    return new URL(`${this.options.apiUrl.replace(/\/+$/, '')}${path}`);
  }

  private async request(url: URL, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        ...init,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const why =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : (error as Error).message;
      throw new GitHubUnavailableError(
        `GitHub (${url.host}) could not be reached: ${why}. Try again in a moment.`,
      );
    }
    if (response.status >= 500) {
      throw new GitHubUnavailableError(
        `GitHub (${url.host}) is having trouble (HTTP ${response.status}). Try again in a moment.`,
      );
    }
    return response;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new GitHubUnavailableError(
      `GitHub answered with something that is not JSON (HTTP ${response.status}).`,
    );
  }
}

function toUser(json: unknown): GitHubUser {
  const u = json as { id?: unknown; login?: unknown; name?: unknown; avatar_url?: unknown };
  if (typeof u.id !== 'number' || typeof u.login !== 'string') {
    throw new GitHubUnavailableError('GitHub answered without a user id and login.');
  }
  return {
    id: u.id,
    login: u.login,
    name: typeof u.name === 'string' ? u.name : null,
    avatarUrl: typeof u.avatar_url === 'string' ? u.avatar_url : null,
  };
}
