// Connector states for the shell's tests: one healthy state and small changes to it.

import type { ActivityEntry, ConnectorState } from '../server/api.ts';
import {
  type DeepPartial,
  patchConnectorState,
  SAMPLE_PUBLIC_URL,
  sampleConnectorState,
} from '../server/api-fixtures.ts';

export const QUICK_URL = SAMPLE_PUBLIC_URL;

/** Running, tunnel up, owner @octocat, one folder: everything works. */
export function connectedState(): ConnectorState {
  return sampleConnectorState();
}

/** connectedState() (or `base`) with some of its parts replaced, at any depth. */
export function stateWith(
  patch: DeepPartial<ConnectorState>,
  base: ConnectorState = connectedState(),
): ConnectorState {
  return patchConnectorState(base, patch);
}

export function activityEntry(patch: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    seq: 1,
    time: '2025-01-01T00:00:00.000Z',
    kind: 'auth',
    client: { id: 'https://chatgpt.com/oauth/client.json', name: 'ChatGPT' },
    login: 'octocat',
    method: 'consent',
    tool: null,
    summary: 'approved',
    outcome: { ok: true },
    latencyMs: null,
    ...patch,
  };
}
