// Which desktop notifications a state change or an activity entry deserves: pure, so the
// rules are tested; notifier.ts shows them.
import type { ActivityEntry, ConnectorState } from '../server/api.ts';

export interface NotificationSpec {
  title: string;
  body: string;
  /** What clicking the notification does. */
  action: 'open-window' | 'copy-url' | null;
}

/**
 * The notifications between two states. `prev` null is the first state of a run: nothing
 * has happened yet. Rules:
 * - the owner sign-in completed (a new owner, or another account than before), or failed;
 * - the tunnel's public URL differs from the one before, in this run or the last (quick tunnels
 *   get a new one each start, and ChatGPT keeps the old one until the person pastes the new one).
 */
export function notificationsFor(prev: ConnectorState | null, next: ConnectorState): NotificationSpec[] {
  if (!prev) return [];
  const out: NotificationSpec[] = [];

  const before = prev.auth.owner;
  const owner = next.auth.owner;
  if (owner && owner.id !== before?.id) {
    out.push({
      title: `Signed in as @${owner.login}`,
      body: before
        ? `Porthole now belongs to @${owner.login}. Clients connected by @${before.login} must connect again.`
        : 'Only this GitHub account can connect ChatGPT to Porthole.',
      action: 'open-window',
    });
  }
  if (next.auth.signIn.state === 'error' && prev.auth.signIn.state !== 'error') {
    out.push({
      title: 'GitHub sign-in failed',
      body: next.auth.signIn.message ?? 'Try again from the Porthole menu.',
      action: 'open-window',
    });
  }

  const url = next.tunnel.publicUrl;
  if (url && url !== prev.tunnel.publicUrl) {
    const connectorUrl = next.mcpUrl ?? `${url}/mcp`;
    // The first URL of a run is a change too when the last run's was another (settings remember it).
    const changed = prev.tunnel.publicUrl ?? next.tunnel.previousUrl;
    out.push(
      changed && changed !== url
        ? {
            title: 'Your connector URL changed',
            body: `Paste the new URL into ChatGPT's connector settings: ${connectorUrl} (click to copy)`,
            action: 'copy-url',
          }
        : {
            title: 'Porthole is online',
            body: `Connector URL: ${connectorUrl}${next.tunnel.stable ? ', a stable URL' : ''} (click to copy)`,
            action: 'copy-url',
          },
    );
  }
  return out;
}

/** A client completed the consent (and the owner's GitHub sign-in): it can now search. */
export function notificationForActivity(entry: ActivityEntry): NotificationSpec | null {
  if (entry.kind !== 'auth' || entry.method !== 'consent' || !entry.outcome.ok) return null;
  const client = entry.client?.name ?? entry.client?.id ?? 'A new client';
  return {
    title: 'New connection',
    body: `${client} can now search and read your shared folders${entry.login ? ` as @${entry.login}` : ''}.`,
    action: 'open-window',
  };
}

/**
 * What to compare the next state with. The tunnel URL is kept across the gaps where it is
 * null (reconnecting, paused, a restart), so coming back with the same URL is no news.
 */
export function rememberState(prev: ConnectorState | null, next: ConnectorState): ConnectorState {
  const url = next.tunnel.publicUrl ?? prev?.tunnel.publicUrl ?? null;
  return url === next.tunnel.publicUrl ? next : { ...next, tunnel: { ...next.tunnel, publicUrl: url } };
}

/**
 * The memory a run starts with: the first state, with the URL the last run ended with, so a
 * quick tunnel's new URL is news at launch and a named tunnel's unchanged one is not.
 */
export function firstMemory(first: ConnectorState, lastRunUrl: string | null): ConnectorState | null {
  if (lastRunUrl === null) return null;
  return { ...first, tunnel: { ...first.tunnel, publicUrl: lastRunUrl } };
}
