import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTROL_METHODS, type ConnectorEvent, DESKTOP_METHODS, type PortholeBridge } from '../server/api.ts';
import { cleanIpcError } from './bridge.ts';
import { connectedState } from './testing.ts';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  return {
    exposed: [] as [string, unknown][],
    listeners,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        electron.exposed.push([key, api]);
      },
    },
    ipcRenderer: {
      invoke: vi.fn(
        async (channel: string, ..._args: unknown[]): Promise<unknown> => `answer from ${channel}`,
      ),
      on: vi.fn((channel: string, fn: (event: unknown, payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      }),
      removeListener: vi.fn((channel: string, fn: (event: unknown, payload: unknown) => void) => {
        listeners.get(channel)?.delete(fn);
      }),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

let bridge: PortholeBridge;

beforeAll(async () => {
  await import('./preload.ts');
  expect(electron.exposed).toHaveLength(1);
  const [key, api] = electron.exposed[0]!;
  expect(key).toBe('porthole');
  bridge = api as PortholeBridge;
});

describe('the preload surface', () => {
  it('is exactly ControlApi, subscribe and desktop (exactly DesktopApi)', () => {
    expect(Object.keys(bridge).sort()).toEqual([...CONTROL_METHODS, 'desktop', 'subscribe'].sort());
    expect(Object.keys(bridge.desktop!).sort()).toEqual([...DESKTOP_METHODS].sort());
    for (const value of [
      ...Object.values(bridge).filter((v) => v !== bridge.desktop),
      ...Object.values(bridge.desktop!),
    ])
      expect(typeof value).toBe('function');
  });

  it('hands the page no IPC object', () => {
    const reachable = [...Object.values(bridge), ...Object.values(bridge.desktop!)];
    expect(reachable).not.toContain(electron.ipcRenderer);
    expect(reachable).not.toContain(electron.ipcRenderer.invoke);
  });

  it('every method invokes porthole:<method> with its arguments', async () => {
    for (const method of CONTROL_METHODS) {
      electron.ipcRenderer.invoke.mockClear();
      const call = bridge[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call('arg')).toBe(`answer from porthole:${method}`);
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(`porthole:${method}`, 'arg');
    }
    for (const method of DESKTOP_METHODS) {
      electron.ipcRenderer.invoke.mockClear();
      const call = bridge.desktop![method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call()).toBe(`answer from porthole:${method}`);
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(`porthole:${method}`);
    }
  });

  it("errors reach the page with the connector's message", async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(
      new Error("Error invoking remote method 'porthole:removeFolder': Error: No shared folder has this id."),
    );
    await expect(bridge.removeFolder('nope')).rejects.toThrow(/^No shared folder has this id\.$/);
  });

  it('subscribe delivers event payloads (not the IPC event) until unsubscribed', () => {
    const received: ConnectorEvent[] = [];
    const unsubscribe = bridge.subscribe((event) => received.push(event));
    const event: ConnectorEvent = { type: 'state', state: connectedState() };
    const ipcEvent = { sender: 'the IPC event must stay in the preload', ports: [] };
    for (const fn of electron.listeners.get('porthole:event') ?? []) fn(ipcEvent, event);
    expect(received).toEqual([event]);

    unsubscribe();
    expect(electron.listeners.get('porthole:event')?.size).toBe(0);
    for (const fn of electron.listeners.get('porthole:event') ?? []) fn(ipcEvent, event);
    expect(received).toHaveLength(1);
  });
});

describe('cleanIpcError', () => {
  it('strips what Electron adds', () => {
    expect(cleanIpcError("Error invoking remote method 'porthole:addFolder': Error: Not a folder.")).toBe(
      'Not a folder.',
    );
    expect(cleanIpcError("Error invoking remote method 'porthole:x': TypeError: bad")).toBe('bad');
    expect(cleanIpcError('Plain message')).toBe('Plain message');
  });
});
