import { describe, expect, it } from 'vitest';
import { overview, reachability, sseUrl, tunnelTone } from './status.ts';
import { makeState } from './testing.ts';

describe('overview', () => {
  it('is ready with a connected tunnel, an app and an owner', () => {
    expect(overview(makeState())).toMatchObject({ tone: 'ok', title: 'Ready' });
  });

  it('puts server problems first, then pause, then setup, then the tunnel', () => {
    const base = makeState();
    expect(
      overview({ ...base, server: { ...base.server, state: 'error', message: 'Port in use' } }),
    ).toMatchObject({
      tone: 'danger',
      detail: 'Port in use',
    });
    expect(overview({ ...base, paused: true })).toMatchObject({ tone: 'warning', title: 'Paused' });
    expect(
      overview({ ...base, auth: { ...base.auth, github: { ...base.auth.github, configured: false } } }),
    ).toMatchObject({ title: 'Only on this computer' });
    expect(overview({ ...base, auth: { ...base.auth, owner: null } })).toMatchObject({
      title: 'Sign in to finish',
    });
    expect(
      overview({ ...base, tunnel: { ...base.tunnel, state: 'error', message: 'cloudflared exited' } }),
    ).toMatchObject({ tone: 'danger', detail: 'cloudflared exited' });
    expect(overview({ ...base, tunnel: { ...base.tunnel, mode: 'off', state: 'off' } })).toMatchObject({
      tone: 'ok',
      title: 'Ready on this computer',
    });
  });

  it('derives the SSE URL and tunnel tones', () => {
    expect(sseUrl(makeState())).toBe('https://calm-river.trycloudflare.com/sse');
    expect(sseUrl(makeState({ publicBaseUrl: null }))).toBeNull();
    expect(tunnelTone('reconnecting')).toBe('pending');
  });
});

describe('reachability', () => {
  it('loopback-only: the local URL is not for ChatGPT; GitHub sign-in and a tunnel are missing', () => {
    const state = makeState({
      auth: {
        ...makeState().auth,
        mode: 'loopback-only',
        owner: null,
        github: { ...makeState().auth.github, configured: false },
      },
      tunnel: { ...makeState().tunnel, state: 'off', publicUrl: null },
    });
    expect(reachability(state)).toEqual({ forChatGpt: false, missing: ['github-app', 'tunnel'] });
  });

  it('GitHub set up but nobody signed in: sign-in is missing', () => {
    const state = makeState({ auth: { ...makeState().auth, owner: null } });
    expect(reachability(state).missing).toContain('sign-in');
  });

  it('owner and a connected tunnel: ready for ChatGPT', () => {
    expect(reachability(makeState())).toEqual({ forChatGpt: true, missing: [] });
  });
});
