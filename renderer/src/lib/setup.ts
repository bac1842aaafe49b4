// The first-run path, computed from the connector state: which steps are done, which one is
// next, which wait for another. The view only draws what this returns.
import type { ConnectorState } from '../../../server/api.ts';

export type SetupStepId = 'create-app' | 'credentials' | 'sign-in' | 'folder' | 'connect';
export type SetupStepStatus = 'done' | 'current' | 'upcoming' | 'blocked';

export interface SetupStep {
  id: SetupStepId;
  title: string;
  status: SetupStepStatus;
  /** Why a blocked step waits. */
  blockedBy: string | null;
}

const TITLES: Record<SetupStepId, string> = {
  'create-app': 'Create Porthole’s GitHub app',
  credentials: 'Paste its client ID and secret',
  'sign-in': 'Sign in with GitHub',
  folder: 'Add a first folder',
  connect: 'Add Porthole to ChatGPT',
};

/** The window starts on the setup path until these three are true. */
export function needsSetup(state: ConnectorState): boolean {
  return !state.auth.github.configured || state.auth.owner === null || state.folders.length === 0;
}

export function setupSteps(state: ConnectorState, progress: { urlCopied: boolean }): SetupStep[] {
  const configured = state.auth.github.configured;
  const owner = state.auth.owner !== null;
  const raw: { id: SetupStepId; done: boolean; blockedBy: string | null }[] = [
    { id: 'create-app', done: configured, blockedBy: null },
    { id: 'credentials', done: configured, blockedBy: null },
    {
      id: 'sign-in',
      done: owner,
      blockedBy: configured ? null : 'Create Porthole’s GitHub app first (step 1).',
    },
    { id: 'folder', done: state.folders.length > 0, blockedBy: null },
    {
      id: 'connect',
      done: progress.urlCopied && configured && owner && state.mcpUrl !== null,
      blockedBy:
        !configured || !owner
          ? 'ChatGPT can connect once you have signed in (step 3).'
          : state.mcpUrl === null
            ? 'Waiting for the connector URL (the server or the tunnel is still starting).'
            : null,
    },
  ];
  let currentGiven = false;
  return raw.map(({ id, done, blockedBy }) => {
    let status: SetupStepStatus;
    if (done) status = 'done';
    else if (blockedBy) status = 'blocked';
    else if (!currentGiven) {
      status = 'current';
      currentGiven = true;
    } else status = 'upcoming';
    return { id, title: TITLES[id], status, blockedBy: done ? null : blockedBy };
  });
}

export function setupProgress(steps: readonly SetupStep[]): { done: number; total: number } {
  return { done: steps.filter((step) => step.status === 'done').length, total: steps.length };
}
