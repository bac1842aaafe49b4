// The routes of the one-click setup, on the public listener but answered on loopback only:
//   GET /github-app/new?start=…      the form that POSTs the manifest to GitHub (from a one-time
//                                    link the authenticated control API hands out)
//   GET /github-app/created?code&state   GitHub's redirect back: the code is converted and the
//                                    app's client id and secret handed to `onCreated`
// The `state` is single-use, lives one hour (GitHub's own limit for the whole flow) and is bound
// to the browser that opened the form by a cookie, so a callback replayed or sent from another
// browser is refused (400/403 and a log line) and never reaches GitHub.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IRouter, Request, Response } from 'express';
import type { ConnectorState } from '../api.ts';
import { messagePage } from '../auth/pages.ts';
import { GitHubRefusedError, GitHubUnavailableError } from './client.ts';
import {
  type CreatedGitHubApp,
  convertManifestCode,
  gitHubAppManifest,
  manifestFormAction,
  uniqueAppName,
} from './manifest.ts';
import { randomState } from './pkce.ts';
import { manifestFormPage } from './setup-pages.ts';

export const SETUP_COOKIE = 'porthole_app_setup';
const START_TTL_MS = 10 * 60 * 1000;
/** GitHub: "You must complete all three steps in the GitHub App Manifest flow within one hour." */
const FLOW_TTL_MS = 60 * 60 * 1000;
/** Only the owner starts setups (through the authenticated control API): a handful at most. */
const MAX_PENDING = 20;

export interface AppSetupRequest {
  webUrl: string;
  apiUrl: string;
  /** Register the app under this organization instead of the personal account. */
  organization: string | null;
  /** The loopback callback first (the default), then the stable public one if any. */
  callbackUrls: string[];
  /** Stores what GitHub created; a throw is shown to the person. */
  onCreated: (app: CreatedGitHubApp, request: AppSetupRequest) => Promise<void>;
}

export type AppSetupStatus = ConnectorState['auth']['github']['oneClick'];

export interface GitHubAppSetup {
  /** A one-time loopback URL that opens the manifest form. */
  begin(request: AppSetupRequest): { url: string };
  status(): AppSetupStatus;
  mount(app: IRouter): void;
}

interface Flow {
  request: AppSetupRequest;
  browser: string;
  expiresAt: number;
}

export function createGitHubAppSetup(options: {
  /** http://127.0.0.1:PORT */
  localBase: () => string;
  log: (line: string) => void;
  changed: () => void;
  fetch?: typeof fetch;
}): GitHubAppSetup {
  const { log } = options;
  const starts = new Map<string, { request: AppSetupRequest; expiresAt: number }>();
  const flows = new Map<string, Flow>();
  let status: AppSetupStatus = { state: 'idle', message: null };
  const setStatus = (next: AppSetupStatus) => {
    status = next;
    options.changed();
  };
  // "Waiting for GitHub…" ends once nothing can finish the setup any more: the start link and
  // GitHub's state have all expired (the person closed GitHub's page, or never opened it).
  let expiry: NodeJS.Timeout | undefined;
  const watchExpiry = () => {
    clearTimeout(expiry);
    const latest = Math.max(0, ...[...starts.values(), ...flows.values()].map((e) => e.expiresAt));
    if (latest === 0) return;
    expiry = setTimeout(
      () => {
        prune(starts);
        prune(flows);
        if (starts.size > 0 || flows.size > 0) return watchExpiry();
        if (status.state === 'waiting')
          setStatus({
            state: 'error',
            message: 'The GitHub App was not created: its setup link expired. Start again.',
          });
      },
      latest - Date.now() + 1000,
    );
    expiry.unref?.();
  };
  const prune = <T extends { expiresAt: number }>(map: Map<string, T>) => {
    const now = Date.now();
    for (const [key, value] of map) if (value.expiresAt < now) map.delete(key);
    while (map.size >= MAX_PENDING) map.delete(map.keys().next().value as string);
  };
  const page = (res: Response, code: number, title: string, message: string, csp?: string) => {
    res
      .status(code)
      .set({
        'content-security-policy':
          csp ?? "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      })
      .type('html')
      .send(title ? messagePage(title, message) : message);
  };
  const refuse = (res: Response, code: number, why: string, message: string) => {
    log(`github-app: refused a setup callback: ${why}`);
    page(res, code, 'This setup link cannot be used', message);
  };

  return {
    begin(request) {
      prune(starts);
      const start = randomBytes(24).toString('base64url');
      starts.set(start, { request, expiresAt: Date.now() + START_TTL_MS });
      setStatus({ state: 'waiting', message: null });
      watchExpiry();
      return { url: `${options.localBase()}/github-app/new?start=${start}` };
    },
    status: () => ({ ...status }),
    mount(app) {
      app.get('/github-app/new', (req, res) => {
        if (!onLoopback(req)) return void res.status(404).json({ error: 'not found' });
        const key = String(req.query.start ?? '');
        const start = starts.get(key);
        starts.delete(key);
        if (!start || start.expiresAt < Date.now()) {
          log('github-app: refused a setup page: unknown, expired or already used link');
          page(res, 400, 'This setup link has expired', 'Start the setup again from Porthole.');
          return;
        }
        prune(flows);
        const state = randomState();
        const browser = randomBytes(24).toString('base64url');
        flows.set(state, { request: start.request, browser, expiresAt: Date.now() + FLOW_TTL_MS });
        watchExpiry();
        const name = uniqueAppName();
        const manifest = gitHubAppManifest({
          name,
          homepageUrl: `${options.localBase()}/`,
          redirectUrl: `${options.localBase()}/github-app/created`,
          callbackUrls: start.request.callbackUrls,
        });
        const action = manifestFormAction(start.request.webUrl, start.request.organization, state);
        res.set(
          'set-cookie',
          `${SETUP_COOKIE}=${browser}; Path=/github-app; HttpOnly; SameSite=Lax; Max-Age=${FLOW_TTL_MS / 1000}`,
        );
        page(
          res,
          200,
          '',
          manifestFormPage({
            action,
            manifest: JSON.stringify(manifest),
            appName: name,
            githubHost: new URL(action).host,
            callbackUrls: manifest.callback_urls,
          }),
          `default-src 'none'; style-src 'unsafe-inline'; form-action ${new URL(action).origin}; frame-ancestors 'none'; base-uri 'none'`,
        );
      });

      app.get('/github-app/created', async (req, res) => {
        if (!onLoopback(req)) return void res.status(404).json({ error: 'not found' });
        const state = String(req.query.state ?? '');
        const flow = flows.get(state);
        if (!flow || flow.expiresAt < Date.now()) {
          flows.delete(state);
          refuse(res, 400, 'unknown, expired or already used state', 'Start the setup again from Porthole.');
          return;
        }
        if (!sameSecret(readCookie(req.headers.cookie, SETUP_COOKIE) ?? '', flow.browser)) {
          refuse(
            res,
            403,
            'the state belongs to another browser',
            'This GitHub App setup was started in another browser. Finish it there, or start again from Porthole.',
          );
          return;
        }
        flows.delete(state);
        res.set('set-cookie', `${SETUP_COOKIE}=; Path=/github-app; HttpOnly; SameSite=Lax; Max-Age=0`);
        const code = typeof req.query.code === 'string' ? req.query.code : '';
        if (!code) {
          refuse(res, 400, 'no code', 'GitHub did not create the app. Start the setup again from Porthole.');
          setStatus({ state: 'error', message: 'GitHub did not create the app.' });
          return;
        }
        let created: CreatedGitHubApp;
        try {
          created = await convertManifestCode(flow.request.apiUrl, code, { fetch: options.fetch });
        } catch (error) {
          if (!(error instanceof GitHubRefusedError || error instanceof GitHubUnavailableError)) throw error;
          log(`github-app: the setup code was not converted: ${error.message}`);
          setStatus({ state: 'error', message: error.message });
          page(res, error instanceof GitHubRefusedError ? 400 : 502, 'GitHub App not set up', error.message);
          return;
        }
        try {
          await flow.request.onCreated(created, flow.request);
        } catch (error) {
          const where = created.htmlUrl ? ` (${created.htmlUrl})` : '';
          const message = `GitHub created the app ${created.slug}, but Porthole could not keep it: ${(error as Error).message} Generate a client secret on the app’s page${where} and paste it with its client ID in Porthole’s setup.`;
          log(`github-app: created ${created.slug}, but could not store it: ${(error as Error).message}`);
          setStatus({ state: 'error', message });
          page(res, 503, 'GitHub App not saved', message);
          return;
        }
        log(`github-app: created the GitHub App ${created.slug} (client ${created.clientId})`);
        setStatus({ state: 'idle', message: null });
        page(
          res,
          200,
          `GitHub App ${created.name} is ready`,
          'Porthole now signs in through it. Go back to Porthole and sign in with GitHub; you can close this tab.',
        );
      });
    },
  };
}

/** Loopback Host only: these pages are for the person at this computer, never the tunnel. */
function onLoopback(req: Request): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/i.test(req.headers.host ?? '');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
