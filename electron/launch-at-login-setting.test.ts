import { describe, expect, it, vi } from 'vitest';
import type { LaunchAtLogin } from './launch-at-login.ts';
import { launchAtLoginSetting } from './launch-at-login-setting.ts';

vi.mock('electron', () => ({ app: {} }));

function system(initial: boolean) {
  const state = { on: initial };
  const launchAtLogin: LaunchAtLogin = {
    get: async () => state.on,
    set: async (enabled) => {
      state.on = enabled;
    },
  };
  return { state, launchAtLogin };
}

describe('launchAtLoginSetting', () => {
  it('reads the system once at start', async () => {
    const setting = await launchAtLoginSetting(system(true).launchAtLogin, () => {});
    expect(setting.on).toBe(true);
  });

  it('counts a failed first read as off, and logs it', async () => {
    const logs: string[] = [];
    const failing: LaunchAtLogin = {
      get: async () => Promise.reject(new Error('no dbus')),
      set: async () => {},
    };
    const setting = await launchAtLoginSetting(failing, (l) => logs.push(l));
    expect(setting.on).toBe(false);
    expect(logs).toEqual(['launch at login: no dbus']);
  });

  it('tells its listeners when a set or a read changes it, and only then', async () => {
    const { state, launchAtLogin } = system(false);
    const setting = await launchAtLoginSetting(launchAtLogin, () => {});
    const changes: boolean[] = [];
    setting.onChange(() => changes.push(setting.on));

    await setting.set(true);
    expect(state.on).toBe(true);
    await setting.set(true);
    // Changed in the system's settings behind our back: a read picks it up.
    state.on = false;
    expect(await setting.read()).toBe(false);
    expect(await setting.read()).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
