// Builders for the tests: a connector state and activity entries with everything filled in.
// The state and its folder are the contract's samples (server/api-fixtures.ts).

import type { ActivityEntry } from '../../../server/api.ts';
import { sampleConnectorState, sampleFolderStatus } from '../../../server/api-fixtures.ts';

export const makeState = sampleConnectorState;
export const makeFolder = sampleFolderStatus;

export function makeEntry(seq: number, overrides: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    seq,
    time: new Date(Date.UTC(2025, 2, 4, 10, 0, 0) + seq * 1000).toISOString(),
    kind: 'mcp',
    client: { id: 'https://chatgpt.com/oauth/client', name: 'ChatGPT' },
    login: 'octocat',
    method: 'tools/call',
    tool: 'search',
    summary: `query ${seq}`,
    outcome: { ok: true, results: 3 },
    latencyMs: 12,
    ...overrides,
  };
}
