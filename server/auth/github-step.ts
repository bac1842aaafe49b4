import type { IRouter, Request, Response } from 'express';
import {
  type GitHubClient,
  GitHubRefusedError,
  GitHubUnavailableError,
  type GitHubUser,
} from '../github/client.ts';
import { createPkce, randomState } from '../github/pkce.ts';

export type SignInResult = { ok: true; user: GitHubUser } | { ok: false; reason: string };

/** What to do once GitHub has answered: render or redirect. */
export type SignInHandler = (result: SignInResult, res: Response) => Promise<void> | void;

export interface GitHubStepOptions {
  github: () => GitHubClient | null;
  /** http://127.0.0.1:PORT/oauth/github/callback: the OAuth App's callback, on loopback. */
  callbackUrl: () => string;
  /** The page for a callback nobody is waiting for (expired, replayed, forged state). */
  expiredPage: (res: Response) => void;
  ttlMs?: number;
}

export interface GitHubStep {
  /** The GitHub authorize URL for a new sign-in; `handler` gets its result at the callback. */
  begin(handler: SignInHandler): string;
  mount(app: IRouter): void;
  /** Sign-ins waiting for their callback (for tests and cleanup). */
  pendingCount(): number;
}

interface Pending {
  verifier: string;
  handler: SignInHandler;
  expiresAt: number;
}

const DEFAULT_TTL_MS = 10 * 60 * 1000;
const MAX_PENDING = 100;

/**
 * The one GitHub web flow every sign-in goes through (a client's consent, the owner's
 * sign-in from the app, the document viewer): PKCE S256, a single-use `state`, the code
 * exchanged, `/user` read and the GitHub token revoked at once.
 */
export function createGitHubStep(options: GitHubStepOptions): GitHubStep {
  const pending = new Map<string, Pending>();
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;

  const prune = () => {
    const now = Date.now();
    for (const [state, p] of pending) if (p.expiresAt < now) pending.delete(state);
    // Bounded: someone hammering the consent button cannot grow this without limit.
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
  };

  const complete = async (req: Request, verifier: string): Promise<SignInResult> => {
    if (typeof req.query.error === 'string') return { ok: false, reason: 'GitHub sign-in was cancelled.' };
    const github = options.github();
    if (!github) return { ok: false, reason: 'GitHub sign-in is not set up on this Porthole.' };
    try {
      const user = await github.completeSignIn({
        code: String(req.query.code ?? ''),
        redirectUri: options.callbackUrl(),
        codeVerifier: verifier,
      });
      return { ok: true, user };
    } catch (error) {
      if (error instanceof GitHubUnavailableError || error instanceof GitHubRefusedError) {
        return { ok: false, reason: error.message };
      }
      throw error;
    }
  };

  return {
    begin(handler) {
      const github = options.github();
      if (!github) throw new Error('GitHub sign-in is not set up: add the GitHub OAuth App first.');
      prune();
      const pkce = createPkce();
      const state = randomState();
      pending.set(state, { verifier: pkce.verifier, handler, expiresAt: Date.now() + ttl });
      return github.authorizeUrl({
        redirectUri: options.callbackUrl(),
        state,
        codeChallenge: pkce.challenge,
      });
    },
    mount(app) {
      app.get('/oauth/github/callback', async (req, res) => {
        const state = String(req.query.state ?? '');
        const sign = pending.get(state);
        pending.delete(state);
        if (!sign || sign.expiresAt < Date.now()) {
          options.expiredPage(res);
          return;
        }
        await sign.handler(await complete(req, sign.verifier), res);
      });
    },
    pendingCount: () => pending.size,
  };
}
