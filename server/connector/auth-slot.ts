// The connector's hold on the authorization server. It is absent until a GitHub OAuth App is set
// up (then Porthole is loopback-only), and starts with the first one, without a restart: the
// routes, the bearer check and the viewer check below are slots that follow it.
import express, { type RequestHandler, type Router } from 'express';
import type { Authorization, AuthorizationOptions } from '../auth/index.ts';
import type { GitHubClient } from '../github/client.ts';

export type AuthSlotOptions = Omit<AuthorizationOptions, 'github'>;

export class AuthSlot {
  #github: GitHubClient | null = null;
  #started: { auth: Authorization; router: Router } | null = null;

  constructor(private readonly options: AuthSlotOptions) {}

  /** The GitHub OAuth App sign-ins go through; null when none is set up. */
  get github(): GitHubClient | null {
    return this.#github;
  }

  /** The authorization server; null while Porthole is loopback-only. */
  current(): Authorization | null {
    return this.#started?.auth ?? null;
  }

  require(): Authorization {
    const auth = this.current();
    if (!auth) throw new Error('Set up the GitHub OAuth App first (client ID and secret).');
    return auth;
  }

  /** Sign-ins go through this OAuth App from now on; the authorization server starts with the first. */
  async use(github: GitHubClient | null): Promise<void> {
    this.#github = github;
    if (this.#started || !github) return;
    // Loaded only when needed: oidc-provider warns on import under Node 20.
    const { createAuthorization } = await import('../auth/index.ts');
    const auth = await createAuthorization({ ...this.options, github: () => this.#github });
    const router = express.Router();
    auth.mount(router);
    this.#started = { auth, router };
  }

  /** The OAuth endpoints, consent, the GitHub callback, the viewer session and the metadata. */
  readonly routes: RequestHandler = (req, res, next) =>
    this.#started ? this.#started.router(req, res, next) : next();

  /** The bearer check of /mcp, /sse and /messages; nothing to check while loopback-only. */
  readonly authenticate: RequestHandler = (req, res, next) =>
    this.#started ? this.#started.auth.authenticate(req, res, next) : next();

  /** The owner's browser session for /view/:id; the viewer is closed while loopback-only. */
  readonly authorizeViewer: RequestHandler = (req, res, next) => {
    if (this.#started) return this.#started.auth.authorizeViewer(req, res, next);
    res.status(403).type('text').send('The document viewer needs GitHub sign-in to be set up.');
  };

  close(): void {
    this.#started?.auth.close();
    this.#started = null;
  }
}
