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

/** Who started a sign-in: the owner's app, or a caller from the network (its address). */
export type SignInCaller = { kind: 'app' } | { kind: 'network'; address: string };

export interface GitHubStep {
  /**
   * The GitHub authorize URL for a new sign-in; `handler` gets its result at the callback.
   * `caller` decides whose pending sign-ins make room for this one (see `prune`). `redirectUri`
   * replaces the loopback callback for this sign-in (a GitHub App's public-host callback).
   */
  begin(handler: SignInHandler, caller: SignInCaller, options?: { redirectUri?: string | null }): string;
  mount(app: IRouter): void;
  /** Sign-ins waiting for their callback (for tests and cleanup). */
  pendingCount(): number;
  /** Whether the sign-in with this `state` is still waiting for its callback. */
  isPending(state: string): boolean;
}

interface Pending {
  verifier: string;
  /** The redirect_uri sent to GitHub, which the code exchange must repeat. */
  redirectUri: string;
  handler: SignInHandler;
  expiresAt: number;
  /** `app`, or the network address that asked. */
  owner: string;
}

const DEFAULT_TTL_MS = 10 * 60 * 1000;
/** All pending sign-ins together: a bound on memory, never reached by one caller alone. */
const MAX_PENDING = 1000;
/** One caller's pending sign-ins: a person needs a handful; a script hammering gets its own oldest evicted. */
export const MAX_PENDING_PER_CALLER = 10;
const APP = 'app';

/**
 * The one GitHub web flow every sign-in goes through (a client's consent, the owner's
 * sign-in from the app, the document viewer): PKCE S256, a single-use `state`, the code
 * exchanged, `/user` read and the GitHub token revoked at once.
 */
export function createGitHubStep(options: GitHubStepOptions): GitHubStep {
  const pending = new Map<string, Pending>();
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;

  // Bounded, and fair: a caller who starts many sign-ins (120 anonymous /view requests in
  // 0.2 s did, in an attack run) only ever pushes out its own. When the whole table is full
  // (a flood from many addresses), the caller holding the most makes room, the newest of
  // equals first, so sign-ins started before the flood survive it; the owner's sign-in
  // from the app is never evicted by anyone else.
  const prune = (owner: string) => {
    const now = Date.now();
    for (const [state, p] of pending) if (p.expiresAt < now) pending.delete(state);
    const mine = [...pending].filter(([, p]) => p.owner === owner);
    if (mine.length >= MAX_PENDING_PER_CALLER) pending.delete((mine[0] as [string, Pending])[0]);
    if (pending.size < MAX_PENDING) return;
    const counts = new Map<string, number>();
    for (const p of pending.values())
      if (p.owner !== APP) counts.set(p.owner, (counts.get(p.owner) ?? 0) + 1);
    let greediest = owner;
    let most = 0;
    for (const [caller, count] of counts) {
      if (count >= most) [greediest, most] = [caller, count];
    }
    const victims = [...pending].filter(([, p]) => p.owner === greediest);
    const newest = victims[victims.length - 1];
    if (newest) pending.delete(newest[0]);
  };

  const complete = async (req: Request, sign: Pending): Promise<SignInResult> => {
    if (typeof req.query.error === 'string') return { ok: false, reason: 'GitHub sign-in was cancelled.' };
    const github = options.github();
    if (!github) return { ok: false, reason: 'GitHub sign-in is not set up on this Porthole.' };
    try {
      const user = await github.completeSignIn({
        code: String(req.query.code ?? ''),
        redirectUri: sign.redirectUri,
        codeVerifier: sign.verifier,
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
    begin(handler, caller, beginOptions) {
      const github = options.github();
      if (!github) throw new Error('GitHub sign-in is not set up: add the GitHub OAuth App first.');
      const owner = caller.kind === 'app' ? APP : `net ${caller.address}`;
      prune(owner);
      const pkce = createPkce();
      const state = randomState();
      const redirectUri = beginOptions?.redirectUri ?? options.callbackUrl();
      pending.set(state, {
        verifier: pkce.verifier,
        redirectUri,
        handler,
        expiresAt: Date.now() + ttl,
        owner,
      });
      return github.authorizeUrl({
        redirectUri,
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
        await sign.handler(await complete(req, sign), res);
      });
    },
    pendingCount: () => pending.size,
    isPending: (state) => pending.has(state),
  };
}
