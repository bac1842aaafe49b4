// Whether the window is in touch with the connector. Electron's IPC is always there; the
// headless dashboard's event stream can drop (the terminal closed, the laptop slept) and the
// token can be stale (`porthole serve` restarted with a new one).

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectionMonitor {
  get(): ConnectionStatus;
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
  /** Skip the wait before the next reconnect attempt (a "Retry now" button, the network coming back). */
  retryNow?(): void;
}

export interface ConnectionController extends ConnectionMonitor {
  set(status: ConnectionStatus): void;
}

export function createConnectionMonitor(
  initial: ConnectionStatus,
  retryNow?: () => void,
): ConnectionController {
  let status = initial;
  const listeners = new Set<(status: ConnectionStatus) => void>();
  return {
    get: () => status,
    set(next) {
      if (next === status) return;
      status = next;
      for (const listener of [...listeners]) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    retryNow,
  };
}

export const alwaysOpen: ConnectionMonitor = {
  get: () => 'open',
  subscribe: () => () => {},
};
