// The object the preload hands to the page as `window.porthole`: generated from
// CONTROL_METHODS and DESKTOP_METHODS, each method one `invoke` on its own channel. The
// page gets these functions and nothing else: never ipcRenderer, never an IPC event.
import {
  CONTROL_METHODS,
  type ConnectorEvent,
  type ControlApi,
  type ControlMethod,
  DESKTOP_METHODS,
  type DesktopApi,
  type DesktopMethod,
  type PortholeBridge,
} from '../server/api.ts';

export type BridgeMethod = ControlMethod | DesktopMethod;

/** Main → page: every ConnectorEvent. */
export const EVENT_CHANNEL = 'porthole:event';

export function channelFor(method: BridgeMethod): `porthole:${BridgeMethod}` {
  return `porthole:${method}`;
}

/** The part of ipcRenderer the bridge needs: preload.ts passes the real one. */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

/**
 * Electron wraps a handler's error as "Error invoking remote method 'porthole:x': Error: what
 * happened"; the page shows the last part, the message the connector wrote for people.
 */
export function cleanIpcError(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
}

function caller(transport: BridgeTransport, method: BridgeMethod) {
  const channel = channelFor(method);
  return async (...args: unknown[]) => {
    try {
      return await transport.invoke(channel, ...args);
    } catch (error) {
      throw new Error(cleanIpcError(error instanceof Error ? error.message : String(error)));
    }
  };
}

export function buildBridge(transport: BridgeTransport): PortholeBridge {
  const control = Object.fromEntries(
    CONTROL_METHODS.map((m) => [m, caller(transport, m)]),
  ) as unknown as ControlApi;
  const desktop = Object.fromEntries(
    DESKTOP_METHODS.map((m) => [m, caller(transport, m)]),
  ) as unknown as DesktopApi;
  return {
    ...control,
    desktop,
    subscribe(listener: (event: ConnectorEvent) => void) {
      // The IPC event (with its sender and ports) stays here; the page gets the payload only.
      const forward = (_event: unknown, payload: unknown) => listener(payload as ConnectorEvent);
      transport.on(EVENT_CHANNEL, forward);
      return () => transport.removeListener(EVENT_CHANNEL, forward);
    },
  };
}
