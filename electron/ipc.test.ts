import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTROL_METHODS, type ControlApi, DESKTOP_METHODS, type DesktopApi } from '../server/api.ts';
import { registerIpc, type SenderInfo, senderProblem, type TrustedWindow } from './ipc.ts';
import type { RendererLocation } from './renderer-location.ts';

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (electron.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      electron.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
}));

const built: RendererLocation = {
  kind: 'file',
  url: 'file:///opt/Porthole/resources/app.asar/out/renderer/index.html',
};
const dev: RendererLocation = { kind: 'dev', url: 'http://localhost:5173/' };
const win: TrustedWindow = { webContentsId: 3, mainFrameTreeNodeId: 11 };

function sender(
  url: string,
  patch: Partial<NonNullable<SenderInfo['frame']>> = {},
  webContentsId = 3,
): SenderInfo {
  return { webContentsId, frame: { url, frameTreeNodeId: 11, isMainFrame: true, ...patch } };
}

describe('senderProblem', () => {
  it('accepts the main frame of our window showing our page', () => {
    expect(senderProblem(sender(built.url), win, built)).toBeNull();
    expect(senderProblem(sender(`${built.url}#/folders`), win, built)).toBeNull();
    expect(senderProblem(sender('http://localhost:5173/settings?x=1'), win, dev)).toBeNull();
  });

  it('refuses a foreign origin', () => {
    expect(senderProblem(sender('https://evil.example/'), win, built)).toMatch(/did not load/);
    expect(senderProblem(sender('http://localhost:5174/'), win, dev)).toMatch(/did not load/);
    expect(senderProblem(sender('https://evil.example/'), win, dev)).toMatch(/did not load/);
  });

  it('refuses another file than our index.html', () => {
    expect(senderProblem(sender('file:///tmp/evil.html'), win, built)).toMatch(/did not load/);
    expect(
      senderProblem(sender('file:///opt/Porthole/resources/app.asar/out/renderer/other.html'), win, built),
    ).toMatch(/did not load/);
  });

  it('refuses a subframe, even one showing our page', () => {
    expect(senderProblem(sender(built.url, { isMainFrame: false, frameTreeNodeId: 12 }), win, built)).toMatch(
      /frame inside/,
    );
    // A frame without a parent that is not our window's main frame (a fenced frame, a portal).
    expect(senderProblem(sender(built.url, { frameTreeNodeId: 12 }), win, built)).toMatch(/frame inside/);
  });

  it('refuses a missing frame', () => {
    expect(senderProblem({ webContentsId: 3, frame: null }, win, built)).toMatch(/gone/);
  });

  it('refuses other web contents, and everything while the window is closed', () => {
    expect(senderProblem(sender(built.url, {}, 4), win, built)).toMatch(/Porthole window/);
    expect(senderProblem(sender(built.url), null, built)).toMatch(/Porthole window/);
  });
});

describe('registerIpc', () => {
  const calls: [string, unknown[]][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
      return `${name} done`;
    };
  const control = Object.fromEntries(CONTROL_METHODS.map((m) => [m, record(m)])) as unknown as ControlApi;
  const desktop = Object.fromEntries(DESKTOP_METHODS.map((m) => [m, record(m)])) as unknown as DesktopApi;
  const logged: string[] = [];
  let dispose: () => void;

  beforeAll(() => {
    dispose = registerIpc({
      control,
      desktop,
      window: () => win,
      renderer: built,
      log: (l) => logged.push(l),
    });
  });

  function event(url: string, parent: unknown = null, frameTreeNodeId = 11) {
    return { sender: { id: 3 }, senderFrame: { url, parent, frameTreeNodeId } };
  }

  it('handles exactly one channel per method', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(
      [...CONTROL_METHODS, ...DESKTOP_METHODS].map((m) => `porthole:${m}`).sort(),
    );
  });

  it('passes calls from our page through with their arguments', async () => {
    const handler = electron.handlers.get('porthole:addFolder')!;
    expect(await handler(event(built.url), '/home/me/Notes')).toBe('addFolder done');
    expect(
      await electron.handlers.get('porthole:openExternal')!(event(built.url), 'https://github.com'),
    ).toBe('openExternal done');
    expect(calls).toEqual([
      ['addFolder', ['/home/me/Notes']],
      ['openExternal', ['https://github.com']],
    ]);
  });

  it('throws for a foreign frame and never reaches the connector', async () => {
    calls.length = 0;
    const handler = electron.handlers.get('porthole:listClients')!;
    await expect(handler(event('https://evil.example/'))).rejects.toThrow(/refused/);
    await expect(handler(event(built.url, { url: built.url }, 12))).rejects.toThrow(/refused/);
    await expect(handler({ sender: { id: 3 }, senderFrame: null })).rejects.toThrow(/refused/);
    const destroyed = {
      sender: { id: 3 },
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    await expect(handler(destroyed)).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
    expect(logged[0]).toMatch(/^ipc: refused listClients: /);
  });

  it.each([
    ['setLaunchAtLogin', ['yes'], /^Bad arguments for setLaunchAtLogin\(enabled\): args\[0\]: Invalid input/],
    ['setLaunchAtLogin', [], /^Bad arguments for setLaunchAtLogin\(enabled\): args: Too small/],
    ['openExternal', [42], /^Bad arguments for openExternal\(url\): args\[0\]/],
    ['openExternal', [''], /args\[0\]: must not be empty/],
    ['chooseFolder', ['/etc'], /^Bad arguments for chooseFolder\(\): args: Too big/],
    ['getLaunchAtLogin', [true], /^Bad arguments for getLaunchAtLogin\(\)/],
    ['addFolder', [''], /^Bad arguments for addFolder\(path\): args\[0\]: must not be empty/],
    ['setTunnel', [{ mode: 'always' }], /args\[0\]\.mode: Invalid option/],
  ])('refuses bad arguments to %s(%j) before the handler runs', async (method, args, message) => {
    calls.length = 0;
    logged.length = 0;
    const handler = electron.handlers.get(`porthole:${method}`)!;
    await expect(handler(event(built.url), ...args)).rejects.toThrow(message);
    expect(calls).toEqual([]);
    expect(logged).toEqual([`ipc: refused ${method}: bad arguments`]);
  });

  it('never echoes an argument value in the message (it may be a secret)', async () => {
    const handler = electron.handlers.get('porthole:setGitHubApp')!;
    const error = await handler(event(built.url), { clientId: 'x', clientSecret: 12345678 }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('12345678');
  });

  it('passes good desktop arguments through', async () => {
    calls.length = 0;
    expect(await electron.handlers.get('porthole:setLaunchAtLogin')!(event(built.url), true)).toBe(
      'setLaunchAtLogin done',
    );
    expect(await electron.handlers.get('porthole:chooseFolder')!(event(built.url))).toBe('chooseFolder done');
    expect(calls).toEqual([
      ['setLaunchAtLogin', [true]],
      ['chooseFolder', []],
    ]);
  });

  it('removes its handlers', () => {
    dispose();
    expect(electron.handlers.size).toBe(0);
  });
});
