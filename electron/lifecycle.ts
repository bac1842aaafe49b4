// Decisions of the app's lifecycle, kept pure for the tests.
import type { ConnectorState } from '../server/api.ts';

/**
 * The window opens at launch while there is setup left to do (no owner, no folders) or when
 * Porthole failed to start; otherwise Porthole starts quietly in the tray.
 */
export function shouldOpenWindowAtStart(state: ConnectorState): boolean {
  return state.server.state === 'error' || state.auth.owner === null || state.folders.length === 0;
}

/** Resolves with the promise, or rejects after `ms` with a message saying what took too long. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
