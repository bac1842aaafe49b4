import { TUNNEL_LINKS } from '../api.ts';
import {
  type ConnectionEvents,
  type OpenConnection,
  type TunnelConnection,
  TunnelSetupError,
} from './provider.ts';

// ngrok, in this process, through the @ngrok/ngrok package (its native binary comes from npm as an
// optional dependency: nothing is downloaded at run time). API used, as documented in the package's
// index.d.ts (https://ngrok.github.io/ngrok-javascript/):
//   new SessionBuilder().authtoken(t).clientInfo(…).handleDisconnection(fn).handleHeartbeat(fn).connect()
//   → session.httpEndpoint().domain(d).listenAndForward('http://127.0.0.1:PORT') → listener.url()
// Failures carry `errorCode` (ERR_NGROK_…), filled in by the package from the message's
// "error_code: ERR_NGROK_…" suffix.
//
// The free plan's browser interstitial ("You are about to visit …", ERR_NGROK_6024): ngrok shows it
// to requests from a standard browser User-Agent, and skips it when the request carries the
// `ngrok-skip-browser-warning` header or a non-browser User-Agent; after "Visit Site" the browser
// keeps a cookie and does not see it again for that domain
// (https://ngrok.com/docs/pricing-limits/free-plan-limits/, "Removing the interstitial page").
// So: MCP clients and ChatGPT's servers (non-browser User-Agents) never meet it. The person's
// browser meets it at most once, on a GET (the authorization request, a /view link): every page
// Porthole serves through the tunnel is reached by a GET that can be repeated, and "Visit Site"
// repeats it, so the consent page, the GitHub step (which comes back through 127.0.0.1 and then a
// GET with a one-time ticket on the public URL) and /view links carry on. The dashboard says so
// next to the ngrok settings. A browser-based MCP client can send the header on its fetches: the
// CORS preflight allows it (server/http-origin.ts). e2e/tunnel-providers.test.ts runs the flow with
// the interstitial modelled.

/** The part of @ngrok/ngrok Porthole uses (the real module satisfies it; tests inject a fake). */
export interface NgrokModule {
  SessionBuilder: new () => NgrokSessionBuilder;
}
export interface NgrokSessionBuilder {
  authtoken(authtoken: string): NgrokSessionBuilder;
  clientInfo(clientType: string, version: string, comments?: string | null): NgrokSessionBuilder;
  handleDisconnection(handler: (addr: string, error: string) => boolean): NgrokSessionBuilder;
  handleHeartbeat(handler: (latency: number) => void): NgrokSessionBuilder;
  connect(): Promise<NgrokSession>;
}
export interface NgrokSession {
  httpEndpoint(): NgrokHttpEndpointBuilder;
  close(): Promise<void>;
}
export interface NgrokHttpEndpointBuilder {
  domain(domain: string): NgrokHttpEndpointBuilder;
  listenAndForward(toUrl: string): Promise<NgrokListener>;
}
export interface NgrokListener {
  url(): string | null;
  close(): Promise<void>;
}

export const NGROK_LINKS = {
  authtoken: TUNNEL_LINKS.ngrokAuthtoken,
  domains: TUNNEL_LINKS.ngrokDomains,
} as const;

export interface NgrokOptions {
  authtoken: string;
  /** The static domain (e.g. name.ngrok-free.app); null lets ngrok pick the account's dev domain. */
  domain: string | null;
  /** The local listener, http://127.0.0.1:PORT. */
  targetUrl: string;
  /** Default: the real @ngrok/ngrok, loaded on first use. */
  sdk?: NgrokModule;
  version?: string;
}

/** Loads the real package (a native module): only when an ngrok tunnel starts. */
export async function loadNgrok(): Promise<NgrokModule> {
  return (await import('@ngrok/ngrok')) as unknown as NgrokModule;
}

/** A domain as people paste it (with https://, a path, upper case) reduced to the host name. */
export function normalizeNgrokDomain(input: string | null | undefined): string | null {
  const raw = input?.trim().toLowerCase();
  if (!raw) return null;
  const host = (URL.parse(raw.includes('://') ? raw : `https://${raw}`)?.hostname ?? '').replace(/\.$/, '');
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host) ? host : null;
}

const AUTHTOKEN_CODES = new Set(['ERR_NGROK_105', 'ERR_NGROK_106', 'ERR_NGROK_107', 'ERR_NGROK_4018']);
const DOMAIN_CODES = new Set(['ERR_NGROK_320', 'ERR_NGROK_354', 'ERR_NGROK_7117', 'ERR_NGROK_7118']);

export function ngrokConnection(options: NgrokOptions): TunnelConnection {
  const redact = (text: string) =>
    options.authtoken ? text.split(options.authtoken).join('[authtoken]') : text;
  return {
    name: 'ngrok',
    startingMessage: options.domain
      ? `Connecting https://${options.domain} through ngrok…`
      : 'Connecting to ngrok…',
    async open(events: ConnectionEvents): Promise<OpenConnection> {
      if (!options.authtoken.trim())
        throw new TunnelSetupError(
          `ngrok needs your authtoken: copy it from ${NGROK_LINKS.authtoken} into Settings.`,
        );
      const sdk = options.sdk ?? (await loadNgrok());
      let session: NgrokSession;
      try {
        session = await new sdk.SessionBuilder()
          .authtoken(options.authtoken)
          .clientInfo('porthole', options.version ?? '0')
          .handleDisconnection((_addr, error) => {
            events.lost(redact(error) || 'disconnected');
            return true; // let the session reconnect by itself; the watchdog replaces it if it does not
          })
          .handleHeartbeat(() => events.regained())
          .connect();
      } catch (error) {
        throw describeNgrokError(error, options, redact);
      }
      let listener: NgrokListener;
      try {
        let endpoint = session.httpEndpoint();
        if (options.domain) endpoint = endpoint.domain(options.domain);
        listener = await endpoint.listenAndForward(options.targetUrl);
      } catch (error) {
        await session.close().catch(() => {});
        throw describeNgrokError(error, options, redact);
      }
      const url = listener.url()?.replace(/\/+$/, '');
      if (!url?.startsWith('https://')) {
        await session.close().catch(() => {});
        throw new Error(`ngrok gave no https URL (${url ?? 'none'})`);
      }
      return {
        url,
        message: 'Connected to ngrok.',
        close: async () => {
          await listener.close().catch(() => {});
          await session.close();
        },
      };
    },
  };
}

function describeNgrokError(error: unknown, options: NgrokOptions, redact: (s: string) => string): Error {
  const raw = redact((error as Error)?.message ?? String(error));
  const code = (error as { errorCode?: string })?.errorCode ?? /ERR_NGROK_\d+/.exec(raw)?.[0] ?? null;
  if (code && AUTHTOKEN_CODES.has(code))
    return new TunnelSetupError(
      `ngrok refused the authtoken (${code}): copy it again from ${NGROK_LINKS.authtoken} and save it in Settings.`,
    );
  if (code && DOMAIN_CODES.has(code))
    return new TunnelSetupError(
      `ngrok says the domain ${options.domain ?? ''} does not belong to this account (${code}): use the domain listed at ${NGROK_LINKS.domains} (free accounts get one there), or the authtoken of the account that owns it.`,
    );
  return new Error(raw.split('\n')[0] ?? raw);
}
