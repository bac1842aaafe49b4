// Saving the tunnel a person chose (dashboard Settings, `porthole serve --tunnel`): the mode in
// settings, each provider's secret in the keychain. Applying it is TunnelSlot.apply's job.
import type { ControlApi, TunnelMode } from '../api.ts';
import type { SecretStore } from '../secrets.ts';
import type { SettingsFile } from '../settings.ts';
import { normalizeHostname } from './hostname.ts';
import { NGROK_LINKS, normalizeNgrokDomain } from './ngrok.ts';

/** The keychain entry of a named tunnel's token. */
export const TUNNEL_TOKEN_NAME = 'tunnel.token';
/** The keychain entry of the ngrok authtoken. */
export const NGROK_AUTHTOKEN_NAME = 'tunnel.ngrok.authtoken';

/** Providers whose public URL stays the same across restarts (given their settings). */
export function isStableMode(mode: TunnelMode, ngrokDomain: string | null): boolean {
  return mode === 'named' || mode === 'tailscale' || (mode === 'ngrok' && ngrokDomain !== null);
}

export type TunnelChoice = Parameters<ControlApi['setTunnel']>[0];

/**
 * Saves the mode a person chose. A named tunnel needs its hostname (settings) and its token (the
 * keychain); ngrok needs its authtoken (the keychain) and takes a static domain (settings); either
 * may have been saved before.
 */
export async function saveTunnelChoice(
  next: TunnelChoice,
  settings: SettingsFile,
  secrets: SecretStore,
): Promise<void> {
  if (next.mode === 'named') return saveNamed(next, settings, secrets);
  if (next.mode === 'ngrok') return saveNgrok(next, settings, secrets);
  settings.update((s) => {
    s.tunnel.mode = next.mode;
  });
}

async function saveNamed(next: TunnelChoice, settings: SettingsFile, secrets: SecretStore): Promise<void> {
  const hostname = normalizeHostname(next.hostname ?? settings.get().tunnel.hostname);
  if (!hostname) throw new Error('A named tunnel needs its public hostname, e.g. files.example.com.');
  const token = next.token?.trim();
  if (token) await secrets.set(TUNNEL_TOKEN_NAME, token);
  else if (!(await secrets.get(TUNNEL_TOKEN_NAME)))
    throw new Error('A named tunnel needs its token (from the Cloudflare dashboard: Networks → Tunnels).');
  settings.update((s) => {
    s.tunnel.mode = 'named';
    s.tunnel.hostname = hostname;
  });
}

async function saveNgrok(next: TunnelChoice, settings: SettingsFile, secrets: SecretStore): Promise<void> {
  const given = next.ngrokDomain;
  const domain = given === undefined ? settings.get().tunnel.ngrokDomain : normalizeNgrokDomain(given);
  if (given && !domain)
    throw new Error(
      `"${given}" is not a domain: paste the one listed at ${NGROK_LINKS.domains}, e.g. name.ngrok-free.app.`,
    );
  const authtoken = next.ngrokAuthtoken?.trim();
  if (authtoken) await secrets.set(NGROK_AUTHTOKEN_NAME, authtoken);
  else if (!(await secrets.get(NGROK_AUTHTOKEN_NAME)))
    throw new Error(`ngrok needs your authtoken: copy it from ${NGROK_LINKS.authtoken}.`);
  settings.update((s) => {
    s.tunnel.mode = 'ngrok';
    s.tunnel.ngrokDomain = domain;
  });
}
