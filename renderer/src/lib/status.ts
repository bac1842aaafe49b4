// The one-line answer to "is Porthole reachable right now?", from the connector state.
import type { ConnectorState, TunnelMode, TunnelState } from '../../../server/api.ts';

export type Tone = 'ok' | 'pending' | 'warning' | 'danger' | 'neutral';

export interface Overview {
  tone: Tone;
  title: string;
  detail: string;
}

export function overview(state: ConnectorState): Overview {
  const { server, tunnel, auth } = state;
  if (server.state === 'starting')
    return { tone: 'pending', title: 'Starting…', detail: 'The server is starting.' };
  if (server.state === 'stopped')
    return { tone: 'neutral', title: 'Stopped', detail: server.message ?? 'The server is not running.' };
  if (server.state === 'error')
    return {
      tone: 'danger',
      title: 'Server problem',
      detail: server.message ?? 'The server could not start.',
    };
  if (state.paused)
    return { tone: 'warning', title: 'Paused', detail: 'Every request is refused until you resume.' };
  if (!auth.github.configured)
    return {
      tone: 'warning',
      title: 'Only on this computer',
      detail: 'Set up GitHub sign-in to let ChatGPT in.',
    };
  if (!auth.owner)
    return {
      tone: 'warning',
      title: 'Sign in to finish',
      detail: 'Sign in with GitHub to choose who may connect.',
    };
  if (tunnel.mode === 'off')
    return {
      tone: 'ok',
      title: 'Ready on this computer',
      detail: 'The tunnel is off: only apps on this computer can connect.',
    };
  switch (tunnel.state) {
    case 'connected':
      return {
        tone: 'ok',
        title: 'Ready',
        detail: 'ChatGPT can reach your folders through the connector URL.',
      };
    case 'starting':
      return {
        tone: 'pending',
        title: 'Opening the tunnel…',
        detail: 'Cloudflare is setting up the public address.',
      };
    case 'reconnecting':
      return {
        tone: 'pending',
        title: 'Reconnecting the tunnel…',
        detail: tunnel.message ?? 'The connection to Cloudflare dropped; retrying.',
      };
    case 'error':
      return {
        tone: 'danger',
        title: 'Tunnel problem',
        detail: tunnel.message ?? 'The tunnel could not start.',
      };
    case 'off':
      return {
        tone: 'pending',
        title: 'Tunnel not running',
        detail: tunnel.message ?? 'The tunnel has not started yet.',
      };
  }
}

export const TUNNEL_MODE_LABELS: Record<TunnelMode, string> = {
  quick: 'Quick tunnel',
  named: 'Named tunnel',
  ngrok: 'ngrok',
  tailscale: 'Tailscale Funnel',
  off: 'Off',
};

export const TUNNEL_STATE_LABELS: Record<TunnelState, string> = {
  off: 'Not running',
  starting: 'Starting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  error: 'Error',
};

export function tunnelTone(state: TunnelState): Tone {
  switch (state) {
    case 'connected':
      return 'ok';
    case 'starting':
    case 'reconnecting':
      return 'pending';
    case 'error':
      return 'danger';
    case 'off':
      return 'neutral';
  }
}

/** The legacy SSE endpoint next to /mcp. */
export function sseUrl(state: ConnectorState): string | null {
  return state.publicBaseUrl ? `${state.publicBaseUrl.replace(/\/+$/, '')}/sse` : null;
}

/** What ChatGPT still needs before the connector URL is of any use to it. */
export type Missing = 'github-app' | 'sign-in' | 'tunnel';

/**
 * Whether the URL shown is one to paste into ChatGPT, and if not, what is missing, in the order
 * to do it. Without GitHub sign-in Porthole answers this computer only (loopback-only), and
 * without a running tunnel ChatGPT cannot reach 127.0.0.1: either way the URL is local.
 */
export function reachability(state: ConnectorState): { forChatGpt: boolean; missing: Missing[] } {
  const missing: Missing[] = [];
  if (!state.auth.github.configured || state.auth.mode === 'loopback-only') missing.push('github-app');
  else if (!state.auth.owner) missing.push('sign-in');
  if (state.tunnel.mode === 'off' || state.tunnel.state !== 'connected' || !state.tunnel.publicUrl)
    missing.push('tunnel');
  return { forChatGpt: missing.length === 0, missing };
}

export const MISSING_TEXT: Record<Missing, string> = {
  'github-app': 'GitHub sign-in, so that only your account gets in',
  'sign-in': 'you, signed in with GitHub as the owner',
  tunnel: 'a running tunnel, so that ChatGPT can reach this computer',
};
