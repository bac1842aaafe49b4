import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { type IRouter, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { hostOf } from './clients.ts';
import type { GitHubStep, SignInResult } from './github-step.ts';
import { consentPage, messagePage } from './pages.ts';
import { MCP_SCOPE } from './provider.ts';
import { callerOf } from './rate-limit.ts';

export interface Owner {
  id: number;
  login: string;
}

export type AuthEvent =
  | { type: 'consent'; clientId: string; clientName: string | null; login: string }
  | { type: 'denied'; clientId: string; clientName: string | null; login: string | null; reason: string }
  | {
      /** `token`: a code exchanged; `refresh`: a refresh token used; `revoked`: a grant ended. */
      type: 'token' | 'refresh' | 'revoked';
      clientId: string | null;
      clientName: string | null;
      login: string | null;
    };

export interface InteractionOptions {
  provider: () => Provider;
  /** Every resource a grant covers: the /mcp URL first, then the legacy /sse URL. */
  resourceUrls: () => string[];
  /** The GitHub web flow (its callback is on 127.0.0.1); null until a GitHub OAuth App is set up. */
  githubStep: () => GitHubStep | null;
  /**
   * The public host's GitHub callback when the GitHub App registered it (stable public URL), else
   * null. With it, GitHub returns to the issuer's host and any browser can finish a consent; the
   * ticket binding below holds the same way.
   */
  publicCallbackUrl?: () => string | null;
  owner: () => Owner | null;
  folders: () => string[];
  onEvent?: (event: AuthEvent) => void;
  /**
   * Gives the browser that just finished a consent as the owner the document viewer's cookie
   * too (owner-session.ts), so a citation link opens without a second GitHub sign-in.
   */
  startViewerSession?: (res: Response, ownerId: number) => void;
  log?: (line: string) => void;
}

type Outcome = { ok: true; login: string } | { ok: false; login: string | null; reason: string };

/** A GitHub result waiting for the browser that produced it to come back with its ticket. */
interface Ticket {
  uid: string;
  outcome: Outcome;
  expiresAt: number;
}

const MAX_TICKETS = 100;
const TICKET_TTL_MS = 2 * 60 * 1000;
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'";

/**
 * Consent, then GitHub, owner only. The GitHub callback arrives on 127.0.0.1 while the
 * interaction cookie belongs to the issuer's host (the tunnel), so the callback cannot see
 * it. Instead the callback hands the browser that completed GitHub a one-time ticket and
 * sends it to /consent/:uid/finish on the issuer, which needs BOTH that ticket and the
 * interaction cookie. So the GitHub sign-in and the consent must happen in one browser: a
 * stranger who starts a consent and sends its GitHub link to the owner holds the cookie
 * but never sees the ticket, and the owner's browser holds the ticket but not the cookie.
 */
export function mountInteractions(app: IRouter, options: InteractionOptions): void {
  const log = options.log ?? (() => {});
  const csrfSecret = randomBytes(32);
  const tickets = new Map<string, Ticket>();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  const csrfFor = (uid: string) => createHmac('sha256', csrfSecret).update(uid).digest('base64url');
  const html = (res: Response, status: number, body: string) => {
    res
      .status(status)
      .set({ 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' })
      .type('html')
      .send(body);
  };
  const details = async (req: Request, res: Response) => {
    try {
      return await options.provider().interactionDetails(req, res);
    } catch {
      html(
        res,
        400,
        messagePage(
          'This request has expired',
          'Start the connection again from your app (ChatGPT, Claude, …).',
        ),
      );
      return null;
    }
  };

  app.get('/consent/:uid', async (req, res) => {
    const interaction = await details(req, res);
    if (!interaction) return;
    const client = await options.provider().Client.find(String(interaction.params.client_id));
    const redirect = String(interaction.params.redirect_uri ?? '');
    html(
      res,
      200,
      consentPage({
        uid: interaction.uid,
        csrf: csrfFor(interaction.uid),
        clientName: client?.clientName ?? 'An app',
        clientHost: hostOf(String(interaction.params.client_id)) ?? hostOf(redirect) ?? 'an unknown app',
        redirectHost: hostOf(redirect) ?? 'an unknown address',
        // Whoever holds a consent link sees this page before GitHub says who they are:
        // folder names only, never local paths or the owner's login.
        folders: options.folders().map((folder) => path.basename(folder) || folder),
        githubReady: options.githubStep() !== null && options.owner() !== null,
        anyBrowser: (options.publicCallbackUrl?.() ?? null) !== null,
      }),
    );
  });

  app.post('/consent/:uid', form, async (req, res) => {
    const interaction = await details(req, res);
    if (!interaction) return;
    if (!sameSecret(String(req.body?.csrf ?? ''), csrfFor(interaction.uid))) {
      html(res, 403, messagePage('This form has expired', 'Reload the page and try again.'));
      return;
    }
    if (req.body?.action !== 'continue') {
      await options
        .provider()
        .interactionFinished(req, res, { error: 'access_denied', error_description: 'The owner cancelled.' });
      return;
    }
    const step = options.githubStep();
    if (!step || !options.owner()) {
      html(
        res,
        409,
        messagePage(
          'GitHub sign-in is not set up',
          'Open Porthole and finish its setup, then connect again.',
        ),
      );
      return;
    }
    const uid = interaction.uid;
    const issuer = options.provider().issuer;
    const url = step.begin(
      (result, callbackRes) => {
        const now = Date.now();
        for (const [key, t] of tickets) if (t.expiresAt < now) tickets.delete(key);
        if (tickets.size >= MAX_TICKETS) tickets.delete(tickets.keys().next().value as string);
        const ticket = randomBytes(24).toString('base64url');
        tickets.set(ticket, { uid, outcome: ownerCheck(result), expiresAt: now + TICKET_TTL_MS });
        // The interaction cookie belongs to the issuer's host: finish there, in this browser.
        callbackRes
          .set('referrer-policy', 'no-referrer')
          .redirect(303, `${issuer}/consent/${encodeURIComponent(uid)}/finish?ticket=${ticket}`);
      },
      { kind: 'network', address: callerOf(req) },
      { redirectUri: options.publicCallbackUrl?.() ?? null },
    );
    res.redirect(303, url);
  });

  app.get('/consent/:uid/finish', async (req, res) => {
    res.set('referrer-policy', 'no-referrer');
    const interaction = await details(req, res);
    if (!interaction) return;
    const outcome = takeTicket(String(req.query.ticket ?? ''), interaction.uid);
    if (!outcome) {
      // The cookie is here but not the ticket: GitHub was completed in another browser
      // (or not at all). Leave the interaction as it is; nothing is granted.
      log(
        `auth: consent ${interaction.uid.slice(0, 8)}… finish refused: no ticket from this browser's GitHub sign-in`,
      );
      html(
        res,
        403,
        messagePage(
          'Finish in the same browser',
          'This connection was approved with GitHub in another browser, or not at all. Porthole only finishes a connection in the browser that signed in with GitHub. Start the connection again from your app, on the computer where Porthole runs.',
        ),
      );
      return;
    }
    const provider = options.provider();
    const clientId = String(interaction.params.client_id);
    const clientName = (await provider.Client.find(clientId))?.clientName ?? null;
    const owner = options.owner();
    if (!outcome.ok || !owner) {
      const reason = !outcome.ok ? outcome.reason : 'This Porthole has no owner.';
      options.onEvent?.({ type: 'denied', clientId, clientName, login: outcome.login, reason });
      const back = await provider.interactionResult(req, res, {
        error: 'access_denied',
        error_description: reason,
      });
      html(res, 403, messagePage('Access denied', reason, { href: back, text: 'Return to the app' }));
      return;
    }
    const grant = new provider.Grant({ accountId: String(owner.id), clientId });
    // `mcp` is both an OP scope (so clients may ask for it without `resource`) and the
    // resource's scope; the grant needs both, or the consent prompt comes straight back.
    grant.addOIDCScope(`openid offline_access ${MCP_SCOPE}`);
    for (const resource of options.resourceUrls()) grant.addResourceScope(resource, MCP_SCOPE);
    const grantId = await grant.save();
    options.onEvent?.({ type: 'consent', clientId, clientName, login: owner.login });
    // Same binding as the viewer's own sign-in: this browser holds both the ticket of the GitHub
    // sign-in it completed as the owner and the interaction cookie; nobody else gets here.
    options.startViewerSession?.(res, owner.id);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: String(owner.id) }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  });

  /** The outcome a ticket carries, once, and only for the interaction it was made for. */
  function takeTicket(ticket: string, uid: string): Outcome | null {
    const found = tickets.get(ticket);
    if (!found || found.uid !== uid) return null;
    tickets.delete(ticket);
    return found.expiresAt >= Date.now() ? found.outcome : null;
  }

  function ownerCheck(result: SignInResult): Outcome {
    if (!result.ok) return { ok: false, login: null, reason: result.reason };
    const owner = options.owner();
    if (!owner) return { ok: false, login: null, reason: 'This Porthole has no owner yet.' };
    const { user } = result;
    if (user.id !== owner.id) {
      log(`auth: refused GitHub user @${user.login} (${user.id}); the owner is @${owner.login}`);
      return {
        ok: false,
        login: user.login,
        reason: `This Porthole belongs to @${owner.login}; you signed in as @${user.login}.`,
      };
    }
    return { ok: true, login: user.login };
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
