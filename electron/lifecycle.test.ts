import { describe, expect, it } from 'vitest';
import { shouldOpenWindowAtStart, withTimeout } from './lifecycle.ts';
import { connectedState, stateWith } from './testing.ts';

describe('shouldOpenWindowAtStart', () => {
  it('stays in the tray when set up', () => {
    expect(shouldOpenWindowAtStart(connectedState())).toBe(false);
  });

  it('opens on first run: no owner, or no folders', () => {
    expect(shouldOpenWindowAtStart(stateWith({ auth: { owner: null } }))).toBe(true);
    expect(shouldOpenWindowAtStart(stateWith({ folders: [] }))).toBe(true);
  });

  it('opens when Porthole failed to start', () => {
    expect(shouldOpenWindowAtStart(stateWith({ server: { state: 'error', message: 'boom' } }))).toBe(true);
  });
});

describe('withTimeout', () => {
  it('passes the result through', async () => {
    expect(await withTimeout(Promise.resolve(7), 1000, 'x')).toBe(7);
  });

  it('gives up after the time', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, 'Stopping Porthole')).rejects.toThrow(
      'Stopping Porthole took longer than 0 s',
    );
  });
});
