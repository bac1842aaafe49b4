import { describe, expect, it } from 'vitest';
import { connectedState, QUICK_URL, stateWith } from './testing.ts';
import {
  buildTrayMenu,
  type MenuItemSpec,
  menuTemplate,
  type TrayAction,
  trayIconKind,
  trayTooltip,
} from './tray.ts';

const linux = { launchAtLogin: false, platform: 'linux' as const };

function labels(menu: MenuItemSpec[]): string[] {
  return menu.map((m) => (m.type === 'separator' ? '---' : m.label));
}

function find(menu: MenuItemSpec[], label: string) {
  const found = menu.find((m) => m.type !== 'separator' && m.label === label);
  if (!found || found.type === 'separator')
    throw new Error(`no item "${label}" in ${labels(menu).join(' | ')}`);
  return found;
}

const noOwner = () =>
  stateWith({
    auth: { owner: null },
    tunnel: { state: 'starting', publicUrl: null },
    publicBaseUrl: 'http://127.0.0.1:48213',
    mcpUrl: 'http://127.0.0.1:48213/mcp',
  });

describe('buildTrayMenu', () => {
  it('connected: status with the tunnel URL, copy enabled, signed in, pause', () => {
    const menu = buildTrayMenu(connectedState(), linux);
    expect(labels(menu)).toEqual([
      `Connected: ${QUICK_URL}`,
      'URL changes at every start: choose a stable one…',
      'Copy connector URL',
      'Open Porthole',
      '---',
      'Signed in as @octocat',
      'Switch account…',
      '---',
      'Pause',
      'Launch at login',
      '---',
      'Quit Porthole',
    ]);
    expect(menu[0]).toMatchObject({ type: 'normal', enabled: false, action: null });
    expect(find(menu, 'Copy connector URL')).toMatchObject({ enabled: true, action: 'copy-url' });
    expect(find(menu, 'Signed in as @octocat')).toMatchObject({ enabled: false });
    expect(find(menu, 'Switch account…')).toMatchObject({ enabled: true, action: 'switch-account' });
    expect(find(menu, 'Pause')).toMatchObject({ enabled: true, action: 'pause' });
    expect(find(menu, 'Launch at login')).toMatchObject({ type: 'checkbox', checked: false });
    expect(find(menu, 'Quit Porthole')).toMatchObject({ enabled: true, action: 'quit' });
  });

  it('no owner: offers the GitHub sign-in', () => {
    const menu = buildTrayMenu(noOwner(), linux);
    expect(menu[0]).toMatchObject({ label: 'Tunnel starting…', enabled: false });
    expect(find(menu, 'Sign in with GitHub…')).toMatchObject({ enabled: true, action: 'sign-in' });
    expect(labels(menu)).not.toContain('Switch account…');
  });

  it('no GitHub OAuth App yet: the sign-in item opens the window to set one up', () => {
    const state = stateWith({
      auth: { ...noOwner().auth, github: { ...noOwner().auth.github, configured: false } },
    });
    expect(find(buildTrayMenu(state, linux), 'Set up GitHub sign-in…')).toMatchObject({
      enabled: true,
      action: 'open-window',
    });
  });

  it('signing in: says so and lets the person start over', () => {
    const state = stateWith({ auth: { ...noOwner().auth, signIn: { state: 'waiting', message: null } } });
    expect(find(buildTrayMenu(state, linux), 'Signing in… (continue in your browser)')).toMatchObject({
      enabled: true,
      action: 'sign-in',
    });
  });

  it('tunnel error: the error is the status line, the local URL can still be copied', () => {
    const state = stateWith({
      tunnel: { state: 'error', publicUrl: null, message: 'cloudflared exited (code 1)' },
      publicBaseUrl: 'http://127.0.0.1:48213',
      mcpUrl: 'http://127.0.0.1:48213/mcp',
    });
    const menu = buildTrayMenu(state, linux);
    expect(menu[0]).toMatchObject({ label: 'Error: cloudflared exited (code 1)', enabled: false });
    expect(find(menu, 'Copy connector URL')).toMatchObject({ enabled: true });
  });

  it('paused: status Paused, Resume instead of Pause', () => {
    const menu = buildTrayMenu(stateWith({ paused: true }), linux);
    expect(menu[0]).toMatchObject({ label: 'Paused' });
    expect(find(menu, 'Resume')).toMatchObject({ enabled: true, action: 'resume' });
    expect(labels(menu)).not.toContain('Pause');
  });

  it('server error: shows the message, offers Try again, disables what needs a running server', () => {
    const state = stateWith({
      server: { state: 'error', port: null, localUrl: null, message: 'Port 48213 is in use.' },
      tunnel: { state: 'off', publicUrl: null },
      publicBaseUrl: null,
      mcpUrl: null,
    });
    const menu = buildTrayMenu(state, linux);
    expect(menu[0]).toMatchObject({ label: 'Error: Port 48213 is in use.', enabled: false });
    expect(menu[1]).toMatchObject({ label: 'Try again', enabled: true, action: 'retry' });
    expect(find(menu, 'Copy connector URL')).toMatchObject({ enabled: false });
    expect(find(menu, 'Pause')).toMatchObject({ enabled: false });
    expect(find(menu, 'Switch account…')).toMatchObject({ enabled: false });
    expect(find(menu, 'Open Porthole')).toMatchObject({ enabled: true });
    expect(find(menu, 'Quit Porthole')).toMatchObject({ enabled: true });
  });

  it('cuts a long error in the menu', () => {
    const state = stateWith({ server: { state: 'error', message: 'x'.repeat(300) } });
    const status = buildTrayMenu(state, linux)[0];
    expect(status?.type === 'normal' && status.label.length).toBe(90);
    expect(status?.type === 'normal' && status.label.endsWith('…')).toBe(true);
  });

  it('starting and stopped servers have their own status line', () => {
    const starting = stateWith({ server: { state: 'starting', port: null, localUrl: null } });
    expect(buildTrayMenu(starting, linux)[0]).toMatchObject({ label: 'Starting…' });
    const stopped = stateWith({ server: { state: 'stopped', port: null, localUrl: null } });
    expect(buildTrayMenu(stopped, linux)[0]).toMatchObject({ label: 'Stopped' });
  });

  it('tunnel off and reconnecting', () => {
    const off = stateWith({ tunnel: { mode: 'off', state: 'off', publicUrl: null } });
    expect(buildTrayMenu(off, linux)[0]).toMatchObject({ label: 'Tunnel off: this computer only' });
    const again = stateWith({ tunnel: { state: 'reconnecting', publicUrl: null } });
    expect(buildTrayMenu(again, linux)[0]).toMatchObject({ label: 'Tunnel reconnecting…' });
  });

  it('no connector URL: Copy is disabled', () => {
    const state = stateWith({ publicBaseUrl: null, mcpUrl: null });
    expect(find(buildTrayMenu(state, linux), 'Copy connector URL')).toMatchObject({ enabled: false });
  });

  it('launch at login checkbox follows the setting; Windows says Exit', () => {
    const menu = buildTrayMenu(connectedState(), { launchAtLogin: true, platform: 'win32' });
    expect(find(menu, 'Launch at login')).toMatchObject({ checked: true, action: 'toggle-launch-at-login' });
    expect(labels(menu).at(-1)).toBe('Exit Porthole');
    expect(labels(buildTrayMenu(connectedState(), { launchAtLogin: true, platform: 'darwin' })).at(-1)).toBe(
      'Quit Porthole',
    );
  });

  it('is plain data: survives a JSON round trip', () => {
    const menu = buildTrayMenu(connectedState(), linux);
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});

describe('trayTooltip', () => {
  it('names the app and the status', () => {
    expect(trayTooltip(connectedState())).toBe(`Porthole: Connected: ${QUICK_URL}`);
    expect(trayTooltip(stateWith({ paused: true }))).toBe('Porthole: Paused');
  });

  it('stays within the 127 characters Windows shows', () => {
    const state = stateWith({
      server: { state: 'error', port: null, localUrl: null, message: 'x'.repeat(300) },
    });
    const tooltip = trayTooltip(state);
    expect(tooltip.length).toBe(127);
    expect(tooltip.endsWith('…')).toBe(true);
  });
});

describe('trayIconKind', () => {
  it('connected when the tunnel is up and an owner is set', () => {
    expect(trayIconKind(connectedState())).toBe('connected');
  });

  it('off without an owner, while the tunnel starts, when paused, with the tunnel off', () => {
    expect(trayIconKind(noOwner())).toBe('off');
    expect(trayIconKind(stateWith({ tunnel: { state: 'starting', publicUrl: null } }))).toBe('off');
    expect(trayIconKind(stateWith({ paused: true }))).toBe('off');
    expect(trayIconKind(stateWith({ tunnel: { mode: 'off', state: 'off', publicUrl: null } }))).toBe('off');
  });

  it('error when the server or the tunnel failed', () => {
    expect(trayIconKind(stateWith({ server: { state: 'error', message: 'boom' } }))).toBe('error');
    expect(trayIconKind(stateWith({ tunnel: { state: 'error', message: 'boom' } }))).toBe('error');
  });
});

describe('the tray on the URL', () => {
  it('says a stable URL is stable, and offers the new URL when it changed since the last run', () => {
    expect(labels(buildTrayMenu(stateWith({ tunnel: { stable: true } }), linux))).toContain(
      'Stable URL: the same after a restart',
    );
    const changed = buildTrayMenu(
      stateWith({ tunnel: { previousUrl: 'https://old-one.trycloudflare.com' } }),
      linux,
    );
    expect(find(changed, 'URL changed since the last run: copy the new one')).toMatchObject({
      enabled: true,
      action: 'copy-url',
    });
  });
});

describe('menuTemplate', () => {
  it('turns specs into Electron menu items whose clicks report the action', () => {
    const clicked: TrayAction[] = [];
    const template = menuTemplate(buildTrayMenu(connectedState(), linux), (a) => clicked.push(a));
    expect(template[0]).toEqual({
      type: 'normal',
      label: `Connected: ${QUICK_URL}`,
      enabled: false,
      click: undefined,
    });
    expect(template[4]).toEqual({ type: 'separator' });
    const checkbox = template.find((t) => t.type === 'checkbox')!;
    expect(checkbox).toMatchObject({ label: 'Launch at login', checked: false, enabled: true });
    checkbox.click!();
    template.find((t) => t.label === 'Copy connector URL')!.click!();
    expect(clicked).toEqual(['toggle-launch-at-login', 'copy-url']);
  });
});
