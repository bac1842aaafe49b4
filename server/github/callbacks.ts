// Where GitHub may send a browser back after a sign-in. On this computer always
// (http://127.0.0.1:PORT/oauth/github/callback); on the public host too when its URL is stable and
// the GitHub App has that URL among its callback URLs, so that a consent started on a phone or on
// another computer finishes there. A quick tunnel's URL changes at every start: never registered.
import type { ConnectorState } from '../api.ts';
import type { Settings } from '../settings.ts';
import { GITHUB_CALLBACK_PATH } from './manifest.ts';

/**
 * The public base URL when it stays the same across restarts, else null: the tunnel's own URL
 * when it says `stable`, or, while it is not running yet (it waits for GitHub sign-in), the
 * address its settings name: a named tunnel's hostname, ngrok's static domain.
 */
export function stablePublicBase(tunnel: ConnectorState['tunnel']): string | null {
  if (tunnel.stable && tunnel.publicUrl) return URL.parse(tunnel.publicUrl)?.origin ?? null;
  const host =
    tunnel.mode === 'named' ? tunnel.hostname : tunnel.mode === 'ngrok' ? (tunnel.ngrokDomain ?? null) : null;
  return host ? (URL.parse(`https://${host}`)?.origin ?? null) : null;
}

/** The callback URLs a new GitHub App registers: loopback first (GitHub's default), then the stable public one. */
export function callbackUrlsFor(localBase: string, publicBase: string | null): string[] {
  const urls = [`${localBase}${GITHUB_CALLBACK_PATH}`];
  if (publicBase) urls.push(`${publicBase}${GITHUB_CALLBACK_PATH}`);
  return urls;
}

/** The public-host callback to use for a consent at `issuer`, when the GitHub App registered it. */
export function publicCallbackUrl(
  issuer: string,
  registration: Settings['githubRegistration'],
): string | null {
  if (registration.kind !== 'github-app' || !issuer.startsWith('https://')) return null;
  const url = `${issuer}${GITHUB_CALLBACK_PATH}`;
  return registration.callbackUrls.includes(url) ? url : null;
}

/**
 * Why sign-ins through the saved GitHub App will fail on this run, or null: GitHub Apps match
 * callback URLs exactly, so one created on another port refuses this run's loopback callback.
 */
export function loopbackCallbackProblem(
  registration: Settings['githubRegistration'],
  localBase: string,
): string | null {
  const callback = `${localBase}${GITHUB_CALLBACK_PATH}`;
  if (registration.kind !== 'github-app' || registration.callbackUrls.includes(callback)) return null;
  const where = registration.appUrl ? ` (${registration.appUrl})` : '';
  return `the GitHub App was created for ${registration.callbackUrls[0] ?? 'another address'}, but Porthole listens on ${localBase} now, so GitHub will refuse its sign-ins: start Porthole on the port it had (settings.json "port"), or add ${callback} to the app's callback URLs on GitHub${where}.`;
}
