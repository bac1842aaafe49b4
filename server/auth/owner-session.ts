import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IRouter, RequestHandler, Response } from 'express';
import type { GitHubStep } from './github-step.ts';
import { type Owner, PAGE_CSP } from './interactions.ts';
import { messagePage } from './pages.ts';
import { callerOf } from './rate-limit.ts';

export const VIEW_COOKIE = 'porthole_view';
const SESSION_TTL_MS = 12 * 3600 * 1000;
const TICKET_TTL_MS = 60 * 1000;
const MAX_TICKETS = 100;

export interface OwnerSessionOptions {
  /** HMAC key of the session cookie (one of the cookie keys kept in the keychain). */
  secret: Buffer | string;
  owner: () => Owner | null;
  githubStep: () => GitHubStep | null;
  /** The public host's GitHub callback when usable (see AuthorizationOptions), else null: loopback. */
  publicCallbackUrl?: () => string | null;
  /** The public base URL: the cookie is set on its host. */
  issuer: () => string;
  log?: (line: string) => void;
}

export interface OwnerSession {
  /** For /view/:id: the owner's browser passes; anyone else is sent through GitHub first. */
  authorizeViewer: RequestHandler;
  /**
   * Sets the viewer cookie on this response. Only for a browser that has just proven, through
   * the GitHub step, that it is the owner's (a viewer ticket, or a consent finished with its
   * ticket and interaction cookie): then /view links open without a second GitHub sign-in.
   */
  startSession(res: Response, ownerId: number): void;
  mount(app: IRouter): void;
}

/**
 * A browser session for the document viewer, from the same GitHub sign-in as consent.
 * Links to documents travel through ChatGPT, so anyone may open one: only a browser that
 * signed in as the owner (by numeric id) gets a page. The GitHub callback arrives on
 * 127.0.0.1, so it hands a single-use ticket to the issuer's host, where the cookie is set.
 */
export function createOwnerSession(options: OwnerSessionOptions): OwnerSession {
  const log = options.log ?? (() => {});
  const tickets = new Map<string, { ownerId: number; next: string; expiresAt: number }>();
  const sign = (payload: string) => createHmac('sha256', options.secret).update(payload).digest('base64url');

  const validCookie = (header: string | undefined): boolean => {
    const owner = options.owner();
    const value = readCookie(header, VIEW_COOKIE);
    if (!owner || !value) return false;
    const [ownerId, expires, mac] = value.split('.');
    if (!ownerId || !expires || !mac) return false;
    const expected = Buffer.from(sign(`${ownerId}.${expires}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    // The owner may have changed since: the cookie is bound to the id it was issued for.
    return Number(ownerId) === owner.id && Number(expires) > Date.now();
  };

  const refuse = (res: Response, status: number, title: string, message: string) => {
    res
      .status(status)
      .set('content-security-policy', PAGE_CSP)
      .type('html')
      .send(messagePage(title, message));
  };

  const startSession = (res: Response, ownerId: number) => {
    const expires = Date.now() + SESSION_TTL_MS;
    const payload = `${ownerId}.${expires}`;
    const secure = options.issuer().startsWith('https:') ? '; Secure' : '';
    res.append(
      'Set-Cookie',
      `${VIEW_COOKIE}=${payload}.${sign(payload)}; Path=/view; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}${secure}`,
    );
  };

  return {
    startSession,
    authorizeViewer(req, res, next) {
      if (validCookie(req.headers.cookie)) return next();
      const owner = options.owner();
      const step = options.githubStep();
      if (!owner || !step) {
        refuse(res, 403, 'Not available', 'This Porthole has no owner signed in yet.');
        return;
      }
      const nextPath = req.originalUrl.startsWith('/view/') ? req.originalUrl : '/';
      const issuer = options.issuer();
      const url = step.begin(
        (result, callbackRes) => {
          const current = options.owner();
          if (!result.ok || !current || result.user.id !== current.id) {
            const who = result.ok ? `you signed in as @${result.user.login}` : result.reason;
            log(
              `viewer: refused a browser session (${result.ok ? `@${result.user.login}` : 'sign-in failed'})`,
            );
            refuse(
              callbackRes,
              403,
              'Access denied',
              `Only the owner of this Porthole${current ? ` (@${current.login})` : ''} can open its documents; ${who}.`,
            );
            return;
          }
          if (tickets.size >= MAX_TICKETS) tickets.delete(tickets.keys().next().value as string);
          const ticket = randomBytes(24).toString('base64url');
          tickets.set(ticket, { ownerId: current.id, next: nextPath, expiresAt: Date.now() + TICKET_TTL_MS });
          // The ticket goes only to the browser that completed GitHub, which gets the cookie.
          callbackRes.set('referrer-policy', 'no-referrer').redirect(303, `${issuer}/view-session/${ticket}`);
        },
        { kind: 'network', address: callerOf(req) },
        { redirectUri: options.publicCallbackUrl?.() ?? null },
      );
      res.redirect(303, url);
    },
    mount(app) {
      app.get('/view-session/:ticket', (req, res) => {
        const ticket = tickets.get(String(req.params.ticket));
        tickets.delete(String(req.params.ticket));
        const owner = options.owner();
        if (!ticket || ticket.expiresAt < Date.now() || !owner || owner.id !== ticket.ownerId) {
          refuse(res, 400, 'This sign-in has expired', 'Open the document link again.');
          return;
        }
        res.set('Cache-Control', 'no-store');
        startSession(res, owner.id);
        res.redirect(303, ticket.next.startsWith('/view/') ? ticket.next : '/');
      });
    },
  };
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
