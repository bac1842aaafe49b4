// Connects the reducer to a bridge: the event subscription, the first loads, the refreshes
// after a reconnect, and the batching of live activity (one render per frame, not per entry).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ActivityEntry } from '../../../server/api.ts';
import type { BridgeHandle } from '../bridge.ts';
import { ACTIVITY_CAP } from '../lib/activity.ts';
import type { ConnectionStatus } from '../lib/connection.ts';
import { errorMessage } from '../lib/errors.ts';
import { affectsClients, dashboardReducer, initialDashboardState } from '../lib/store.ts';

const CLIENTS_REFRESH_DELAY_MS = 400;
/** A log is read, not watched frame by frame: ten updates a second are plenty and cost far less. */
const ACTIVITY_FLUSH_MS = 100;

export function useDashboard(handle: BridgeHandle) {
  const { bridge, connection } = handle;
  const [state, dispatch] = useReducer(dashboardReducer, initialDashboardState);
  const [status, setStatus] = useState<ConnectionStatus>(() => connection.get());

  const loadActivity = useCallback(async () => {
    try {
      dispatch({ type: 'activityLoaded', entries: await bridge.listActivity({ limit: ACTIVITY_CAP }) });
    } catch (error) {
      dispatch({ type: 'activityFailed', message: errorMessage(error) });
    }
  }, [bridge]);

  const loadClients = useCallback(async () => {
    try {
      dispatch({ type: 'clientsLoaded', clients: await bridge.listClients() });
    } catch (error) {
      dispatch({ type: 'clientsFailed', message: errorMessage(error) });
    }
  }, [bridge]);

  const loadState = useCallback(async () => {
    try {
      dispatch({ type: 'stateLoaded', state: await bridge.getState() });
    } catch (error) {
      dispatch({ type: 'loadFailed', message: errorMessage(error) });
    }
  }, [bridge]);

  // Auth activity and owner changes can change the client list; many arrive together.
  const clientsTimer = useRef<number | null>(null);
  const refreshClientsSoon = useCallback(() => {
    if (clientsTimer.current !== null) window.clearTimeout(clientsTimer.current);
    clientsTimer.current = window.setTimeout(() => {
      clientsTimer.current = null;
      void loadClients();
    }, CLIENTS_REFRESH_DELAY_MS);
  }, [loadClients]);

  useEffect(() => {
    let pending: ActivityEntry[] = [];
    let frame: number | null = null;
    let lastFlush = Number.NEGATIVE_INFINITY;
    let ownerId: number | null | undefined;
    const flush = (now: number) => {
      if (now - lastFlush < ACTIVITY_FLUSH_MS) {
        frame = window.requestAnimationFrame(flush);
        return;
      }
      lastFlush = now;
      frame = null;
      const entries = pending;
      pending = [];
      dispatch({ type: 'activityArrived', entries });
    };
    const unsubscribe = bridge.subscribe((event) => {
      if (event.type === 'activity') {
        pending.push(event.entry);
        // A hidden window gets no frames: keep only what the list could show.
        if (pending.length > ACTIVITY_CAP) pending = pending.slice(-ACTIVITY_CAP);
        frame ??= window.requestAnimationFrame(flush);
        if (affectsClients(event.entry)) refreshClientsSoon();
        return;
      }
      if (event.type === 'state') {
        const id = event.state.auth.owner?.id ?? null;
        if (ownerId !== undefined && id !== ownerId) refreshClientsSoon();
        ownerId = id;
      }
      dispatch({ type: 'event', event });
    });
    void loadState();
    void loadActivity();
    void loadClients();
    return () => {
      unsubscribe();
      if (frame !== null) window.cancelAnimationFrame(frame);
      if (clientsTimer.current !== null) window.clearTimeout(clientsTimer.current);
    };
  }, [bridge, loadState, loadActivity, loadClients, refreshClientsSoon]);

  // After the stream comes back, what happened meanwhile is only in the connector's log.
  useEffect(() => {
    let previous = connection.get();
    setStatus(previous);
    return connection.subscribe((next) => {
      setStatus(next);
      if (next === 'open' && previous === 'reconnecting') {
        void loadActivity();
        void loadClients();
      }
      previous = next;
    });
  }, [connection, loadActivity, loadClients]);

  return {
    state,
    dispatch,
    connection: status,
    reloadClients: loadClients,
    reloadActivity: loadActivity,
    reloadState: loadState,
  };
}

export type Dashboard = ReturnType<typeof useDashboard>;
