import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type IRouter, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { hostOf } from './clients.ts';
import type { GitHubStep, SignInResult } from './github-step.ts';
import { consentPage, messagePage } from './pages.ts';
import { MCP_SCOPE } from './provider.ts';

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
  resourceUrl: () => string;
  /** The GitHub web flow (its callback is on 127.0.0.1); null until a GitHub OAuth App is set up. */
  githubStep: () => GitHubStep | null;
  owner: () => Owner | null;
  folders: () => string[];
  onEvent?: (event: AuthEvent) => void;
  log?: (line: string) => void;
}

type Outcome = { ok: true; login: string } | { ok: false; login: string | null; reason: string };

const MAX_OUTCOMES = 100;
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'";

/**
 * Consent, then GitHub, owner only. The GitHub callback arrives on 127.0.0.1 while the
 * interaction cookie belongs to the issuer's host (the tunnel), so the callback records
 * the outcome and sends the browser to /consent/:uid/finish on the issuer, where the
 * interaction is completed.
 */
export function mountInteractions(app: IRouter, options: InteractionOptions): void {
  const log = options.log ?? (() => {});
  const csrfSecret = randomBytes(32);
  const outcomes = new Map<string, Outcome>();
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
        folders: options.folders(),
        ownerLogin: options.owner()?.login ?? null,
        githubReady: options.githubStep() !== null && options.owner() !== null,
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
    const url = step.begin((result, callbackRes) => {
      if (outcomes.size >= MAX_OUTCOMES) outcomes.delete(outcomes.keys().next().value as string);
      outcomes.set(uid, ownerCheck(result));
      // The interaction cookie belongs to the issuer's host: finish there.
      callbackRes.redirect(303, `${issuer}/consent/${encodeURIComponent(uid)}/finish`);
    });
    res.redirect(303, url);
  });

  app.get('/consent/:uid/finish', async (req, res) => {
    const interaction = await details(req, res);
    if (!interaction) return;
    const outcome = outcomes.get(interaction.uid);
    outcomes.delete(interaction.uid);
    const provider = options.provider();
    const clientId = String(interaction.params.client_id);
    const clientName = (await provider.Client.find(clientId))?.clientName ?? null;
    const owner = options.owner();
    if (!outcome?.ok || !owner) {
      const reason = outcome && !outcome.ok ? outcome.reason : 'The GitHub sign-in did not complete.';
      options.onEvent?.({ type: 'denied', clientId, clientName, login: outcome?.login ?? null, reason });
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
    grant.addResourceScope(options.resourceUrl(), MCP_SCOPE);
    const grantId = await grant.save();
    options.onEvent?.({ type: 'consent', clientId, clientName, login: owner.login });
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: String(owner.id) }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  });

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
