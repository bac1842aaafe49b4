// The tray menu, tooltip and icon as pure functions of the connector state: plain data,
// no electron import, so every state can be tested. system-tray.ts turns it into a Menu.
import type { ConnectorState } from '../server/api.ts';

/** What a menu item does when clicked; desktop-tray.ts maps each to the connector or the shell. */
export type TrayAction =
  | 'copy-url'
  | 'open-window'
  | 'sign-in'
  | 'switch-account'
  | 'pause'
  | 'resume'
  | 'retry'
  | 'toggle-launch-at-login'
  | 'quit';

export type MenuItemSpec =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action: TrayAction | null }
  | { type: 'checkbox'; label: string; enabled: boolean; checked: boolean; action: TrayAction };

export interface TrayExtras {
  launchAtLogin: boolean;
  platform: NodeJS.Platform;
}

export type TrayIconKind = 'connected' | 'off' | 'error';

const separator: MenuItemSpec = { type: 'separator' };

function item(label: string, action: TrayAction | null, enabled = true): MenuItemSpec {
  return { type: 'normal', label, enabled: enabled && action !== null, action };
}

/** One line that says whether ChatGPT can reach Porthole right now, and if not, why. */
export function statusLine(state: ConnectorState): string {
  const { server, tunnel } = state;
  if (server.state === 'error') return `Error: ${server.message ?? 'Porthole stopped unexpectedly.'}`;
  if (server.state === 'starting') return 'Starting…';
  if (server.state === 'stopped') return 'Stopped';
  if (state.paused) return 'Paused';
  switch (tunnel.state) {
    case 'error':
      return `Error: ${tunnel.message ?? 'the tunnel failed.'}`;
    case 'connected':
      return tunnel.publicUrl ? `Connected: ${tunnel.publicUrl}` : 'Connected';
    case 'starting':
      return 'Tunnel starting…';
    case 'reconnecting':
      return 'Tunnel reconnecting…';
    case 'off':
      return 'Tunnel off: this computer only';
  }
}

function accountItems(state: ConnectorState): MenuItemSpec[] {
  const { owner, github, signIn } = state.auth;
  const running = state.server.state === 'running';
  if (owner) {
    return [item(`Signed in as @${owner.login}`, null), item('Switch account…', 'switch-account', running)];
  }
  // Without a GitHub OAuth App there is nothing to sign in with: the window shows how to make one.
  if (!github.configured) return [item('Set up GitHub sign-in…', 'open-window')];
  if (signIn.state === 'waiting') return [item('Signing in… (continue in your browser)', 'sign-in', running)];
  return [item('Sign in with GitHub…', 'sign-in', running)];
}

/** Menus grow as wide as their longest item: long errors are cut (the window has them whole). */
const STATUS_MAX = 90;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function buildTrayMenu(state: ConnectorState, extras: TrayExtras): MenuItemSpec[] {
  const running = state.server.state === 'running';
  const menu: MenuItemSpec[] = [item(truncate(statusLine(state), STATUS_MAX), null)];
  if (state.server.state === 'error') menu.push(item('Try again', 'retry'));
  menu.push(...urlItems(state));
  menu.push(
    item('Copy connector URL', 'copy-url', state.mcpUrl !== null),
    item('Open Porthole', 'open-window'),
    separator,
    ...accountItems(state),
    separator,
    state.paused ? item('Resume', 'resume', running) : item('Pause', 'pause', running),
    {
      type: 'checkbox',
      label: 'Launch at login',
      enabled: true,
      checked: extras.launchAtLogin,
      action: 'toggle-launch-at-login',
    },
    separator,
    item(extras.platform === 'win32' ? 'Exit Porthole' : 'Quit Porthole', 'quit'),
  );
  return menu;
}

/** Whether the URL stays the same across restarts, and that it changed since the last run. */
function urlItems(state: ConnectorState): MenuItemSpec[] {
  const { tunnel } = state;
  if (tunnel.state !== 'connected' || !tunnel.publicUrl) return [];
  if (tunnel.previousUrl) return [item('URL changed since the last run: copy the new one', 'copy-url')];
  if (tunnel.stable) return [item('Stable URL: the same after a restart', null)];
  return [item('URL changes at every start: choose a stable one…', 'open-window')];
}

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

export function trayTooltip(state: ConnectorState): string {
  return truncate(`Porthole: ${statusLine(state)}`, TOOLTIP_MAX);
}

/**
 * 'connected' only when ChatGPT can actually get in: tunnel up, an owner to sign in as,
 * not paused. A failing server or tunnel is 'error'; everything else is 'off'.
 */
export function trayIconKind(state: ConnectorState): TrayIconKind {
  if (state.server.state === 'error' || state.tunnel.state === 'error') return 'error';
  if (
    state.server.state === 'running' &&
    state.tunnel.state === 'connected' &&
    state.auth.owner !== null &&
    !state.paused
  )
    return 'connected';
  return 'off';
}

/** The shape Electron's Menu.buildFromTemplate takes (structurally), without importing electron. */
export interface MenuItemTemplate {
  type: 'normal' | 'separator' | 'checkbox';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}

export function menuTemplate(
  specs: MenuItemSpec[],
  onAction: (action: TrayAction) => void,
): MenuItemTemplate[] {
  return specs.map((spec): MenuItemTemplate => {
    if (spec.type === 'separator') return { type: 'separator' };
    const { action } = spec;
    const click = action ? () => onAction(action) : undefined;
    if (spec.type === 'checkbox')
      return { type: 'checkbox', label: spec.label, enabled: spec.enabled, checked: spec.checked, click };
    return { type: 'normal', label: spec.label, enabled: spec.enabled, click };
  });
}
