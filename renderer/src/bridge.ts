// The one way the dashboard reaches the connector: a PortholeBridge.
//   Electron: `window.porthole`, which the preload builds from CONTROL_METHODS + DESKTOP_METHODS.
//   Headless: the control listener's HTTP API on the page's own origin, with the per-launch
//   token from the link `porthole serve` printed (http://127.0.0.1:PORT/#token=…).
import type { PortholeBridge } from '../../server/api.ts';
import { alwaysOpen, type ConnectionMonitor } from './lib/connection.ts';
import { createHttpBridge } from './lib/http-bridge.ts';
import { planToken, takeTokenFromHash } from './lib/token.ts';

declare global {
  interface Window {
    porthole?: PortholeBridge;
  }
}

export interface BridgeHandle {
  bridge: PortholeBridge;
  connection: ConnectionMonitor;
  mode: 'desktop' | 'headless' | 'mock';
}

const TOKEN_KEY = 'porthole.controlToken';

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the token still works until this page is reloaded.
  }
}

/** Moves the token from the address bar into sessionStorage; returns the token to use. */
function takeToken(): string | null {
  const plan = planToken(window.location.hash, readStoredToken());
  if (plan.save !== null) storeToken(plan.save);
  if (plan.replaceHash !== null) {
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${plan.replaceHash}`);
  }
  return plan.token;
}

export function createBridge(): BridgeHandle {
  if (window.porthole) return { bridge: window.porthole, connection: alwaysOpen, mode: 'desktop' };
  const http = createHttpBridge({
    token: takeToken(),
    onUnauthorized: () => storeToken(null),
  });
  window.addEventListener('online', () => http.connection.retryNow?.());
  // A fresh link pasted into this tab changes only the fragment, which does not reload the
  // page: start over with its token.
  window.addEventListener('hashchange', () => {
    if (takeTokenFromHash(window.location.hash).token !== null) window.location.reload();
  });
  return { bridge: http.bridge, connection: http.connection, mode: 'headless' };
}
