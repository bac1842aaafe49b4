import { describe, expect, it } from 'vitest';
import { needsSetup, setupProgress, setupSteps } from './setup.ts';
import { makeState } from './testing.ts';

function fresh() {
  const state = makeState({ folders: [] });
  return makeState({
    folders: [],
    auth: {
      ...state.auth,
      mode: 'loopback-only',
      owner: null,
      github: { ...state.auth.github, configured: false, clientId: null },
    },
  });
}

const statuses = (steps: ReturnType<typeof setupSteps>) => steps.map((s) => `${s.id}:${s.status}`);

describe('setup steps', () => {
  it('starts with the GitHub OAuth App on a fresh install', () => {
    const state = fresh();
    expect(needsSetup(state)).toBe(true);
    const steps = setupSteps(state, { urlCopied: false });
    expect(statuses(steps)).toEqual([
      'create-app:current',
      'credentials:upcoming',
      'sign-in:blocked',
      'folder:upcoming',
      'connect:blocked',
    ]);
    expect(steps[2]?.blockedBy).toMatch(/step 1/);
    expect(setupProgress(steps)).toEqual({ done: 0, total: 5 });
  });

  it('moves on to sign-in once the app is saved', () => {
    const base = fresh();
    const state = { ...base, auth: { ...base.auth, github: { ...base.auth.github, configured: true } } };
    expect(statuses(setupSteps(state, { urlCopied: false }))).toEqual([
      'create-app:done',
      'credentials:done',
      'sign-in:current',
      'folder:upcoming',
      'connect:blocked',
    ]);
  });

  it('lets a folder be added before signing in', () => {
    const base = fresh();
    const state = { ...base, folders: makeState().folders };
    expect(statuses(setupSteps(state, { urlCopied: false }))[3]).toBe('folder:done');
  });

  it('ends with copying the URL, and is complete without it', () => {
    const state = makeState();
    expect(needsSetup(state)).toBe(false);
    expect(statuses(setupSteps(state, { urlCopied: false }))).toEqual([
      'create-app:done',
      'credentials:done',
      'sign-in:done',
      'folder:done',
      'connect:current',
    ]);
    expect(setupProgress(setupSteps(state, { urlCopied: true }))).toEqual({ done: 5, total: 5 });
  });

  it('waits for a URL while the server or tunnel starts', () => {
    const steps = setupSteps(makeState({ mcpUrl: null }), { urlCopied: true });
    expect(steps[4]?.status).toBe('blocked');
    expect(steps[4]?.blockedBy).toMatch(/starting/);
  });

  it('needs setup again when the owner or the last folder is gone', () => {
    const state = makeState();
    expect(needsSetup({ ...state, folders: [] })).toBe(true);
    expect(needsSetup({ ...state, auth: { ...state.auth, owner: null } })).toBe(true);
  });
});
