import { describe, expect, it } from 'vitest';
import { firstMemory, notificationForActivity, notificationsFor, rememberState } from './notifications.ts';
import { activityEntry, connectedState, QUICK_URL, stateWith } from './testing.ts';

const NEW_URL = 'https://blue-sky-7.trycloudflare.com';

describe('notificationsFor', () => {
  it('nothing for the first state of a run, nothing when nothing changed', () => {
    expect(notificationsFor(null, connectedState())).toEqual([]);
    expect(notificationsFor(connectedState(), connectedState())).toEqual([]);
  });

  it('the owner sign-in completed', () => {
    const before = stateWith({ auth: { owner: null, signIn: { state: 'waiting', message: null } } });
    const [n, ...rest] = notificationsFor(before, connectedState());
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: 'Signed in as @octocat', action: 'open-window' });
    expect(n?.body).toContain('Only this GitHub account');
  });

  it('another account took over', () => {
    const before = connectedState();
    const after = stateWith({
      auth: { owner: { id: 1, login: 'hubot', name: null, avatarUrl: null } },
    });
    const [n] = notificationsFor(before, after);
    expect(n?.title).toBe('Signed in as @hubot');
    expect(n?.body).toContain('@octocat must connect again');
  });

  it('the owner renaming their login is no sign-in', () => {
    const before = connectedState();
    const after = stateWith({ auth: { owner: { ...before.auth.owner!, login: 'octo-renamed' } } });
    expect(notificationsFor(before, after)).toEqual([]);
  });

  it('the sign-in failed', () => {
    const before = stateWith({ auth: { owner: null, signIn: { state: 'waiting', message: null } } });
    const after = stateWith({
      auth: { owner: null, signIn: { state: 'error', message: 'Signed in as @hubot, not the owner.' } },
    });
    expect(notificationsFor(before, after)).toEqual([
      { title: 'GitHub sign-in failed', body: 'Signed in as @hubot, not the owner.', action: 'open-window' },
    ]);
    expect(notificationsFor(after, after)).toEqual([]);
  });

  it('the tunnel came up: the connector URL, click to copy', () => {
    const before = stateWith({ tunnel: { state: 'starting', publicUrl: null } });
    expect(notificationsFor(before, connectedState())).toEqual([
      {
        title: 'Porthole is online',
        body: `Connector URL: ${QUICK_URL}/mcp (click to copy)`,
        action: 'copy-url',
      },
    ]);
  });

  it('the first URL of a run differs from the last run’s: it changed, with the new one to copy', () => {
    const before = stateWith({ tunnel: { state: 'starting', publicUrl: null } });
    const after = stateWith({ tunnel: { previousUrl: NEW_URL } });
    const [n, ...rest] = notificationsFor(before, after);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: 'Your connector URL changed', action: 'copy-url' });
    expect(n?.body).toContain(`${QUICK_URL}/mcp`);
  });

  it('a stable URL coming up says so', () => {
    const before = stateWith({ tunnel: { state: 'starting', publicUrl: null } });
    const [n] = notificationsFor(before, stateWith({ tunnel: { stable: true } }));
    expect(n).toMatchObject({ title: 'Porthole is online', body: expect.stringContaining('a stable URL') });
  });

  it('the tunnel URL changed', () => {
    const after = stateWith({
      tunnel: { publicUrl: NEW_URL },
      publicBaseUrl: NEW_URL,
      mcpUrl: `${NEW_URL}/mcp`,
    });
    const [n, ...rest] = notificationsFor(connectedState(), after);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: 'Your connector URL changed', action: 'copy-url' });
    expect(n?.body).toContain(`${NEW_URL}/mcp`);
  });

  it('the tunnel going down is not a URL change', () => {
    const down = stateWith({ tunnel: { state: 'reconnecting', publicUrl: null } });
    expect(notificationsFor(connectedState(), down)).toEqual([]);
  });
});

describe('rememberState and firstMemory', () => {
  it('coming back with the same URL after a reconnect is no news', () => {
    const down = stateWith({ tunnel: { state: 'reconnecting', publicUrl: null } });
    const memory = rememberState(connectedState(), down);
    expect(memory.tunnel.publicUrl).toBe(QUICK_URL);
    expect(memory.tunnel.state).toBe('reconnecting');
    expect(notificationsFor(memory, connectedState())).toEqual([]);
  });

  it('a new URL after a reconnect is news', () => {
    const memory = rememberState(connectedState(), stateWith({ tunnel: { publicUrl: null } }));
    const after = stateWith({ tunnel: { publicUrl: NEW_URL }, mcpUrl: `${NEW_URL}/mcp` });
    expect(notificationsFor(memory, after)[0]?.title).toBe('Your connector URL changed');
  });

  it('a launch compares the URL with the last run: same named-tunnel URL quiet, new quick URL news', () => {
    const starting = stateWith({ tunnel: { state: 'starting', publicUrl: null } });
    expect(firstMemory(starting, null)).toBeNull();

    const same = firstMemory(starting, QUICK_URL)!;
    expect(notificationsFor(same, starting)).toEqual([]);
    expect(notificationsFor(rememberState(same, starting), connectedState())).toEqual([]);

    const old = firstMemory(starting, NEW_URL)!;
    const [n] = notificationsFor(rememberState(old, starting), connectedState());
    expect(n?.title).toBe('Your connector URL changed');
  });
});

describe('notificationForActivity', () => {
  it('a client completed the consent', () => {
    expect(notificationForActivity(activityEntry())).toEqual({
      title: 'New connection',
      body: 'ChatGPT can now search and read your shared folders as @octocat.',
      action: 'open-window',
    });
  });

  it('names the client by id when it has no name', () => {
    const entry = activityEntry({ client: { id: 'client-123', name: null }, login: null });
    expect(notificationForActivity(entry)?.body).toBe(
      'client-123 can now search and read your shared folders.',
    );
  });

  it('nothing for denials, other auth events, searches', () => {
    expect(
      notificationForActivity(
        activityEntry({ method: 'denied', outcome: { ok: false, error: 'not the owner' } }),
      ),
    ).toBeNull();
    expect(notificationForActivity(activityEntry({ outcome: { ok: false, error: 'x' } }))).toBeNull();
    expect(notificationForActivity(activityEntry({ method: 'token' }))).toBeNull();
    expect(
      notificationForActivity(activityEntry({ kind: 'mcp', method: 'tools/call', tool: 'search' })),
    ).toBeNull();
  });
});
