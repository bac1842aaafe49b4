import { describe, expect, it } from 'vitest';
import { sampleConnectorState } from '../api-fixtures.ts';
import { callbackUrlsFor, publicCallbackUrl, stablePublicBase } from './callbacks.ts';

// Which public URL a GitHub App may register as a callback: only one that survives a restart.

const tunnel = (patch: Partial<ReturnType<typeof sampleConnectorState>['tunnel']>) => ({
  ...sampleConnectorState().tunnel,
  ...patch,
});

describe('stablePublicBase', () => {
  it('never takes a quick tunnel URL, which changes at every start', () => {
    expect(
      stablePublicBase(
        tunnel({ mode: 'quick', stable: false, publicUrl: 'https://a-b-c.trycloudflare.com' }),
      ),
    ).toBeNull();
  });

  it('takes a named tunnel hostname even before the tunnel runs, and any tunnel that says stable', () => {
    expect(stablePublicBase(tunnel({ mode: 'named', hostname: 'files.example.com', publicUrl: null }))).toBe(
      'https://files.example.com',
    );
    expect(
      stablePublicBase(tunnel({ mode: 'tailscale', stable: true, publicUrl: 'https://box.tail1.ts.net/' })),
    ).toBe('https://box.tail1.ts.net');
  });
});

describe('publicCallbackUrl', () => {
  const registration = {
    kind: 'github-app' as const,
    appUrl: null,
    callbackUrls: callbackUrlsFor('http://127.0.0.1:4747', 'https://files.example.com'),
  };

  it('is the public host callback only when the GitHub App registered it', () => {
    expect(publicCallbackUrl('https://files.example.com', registration)).toBe(
      'https://files.example.com/oauth/github/callback',
    );
    expect(publicCallbackUrl('https://other.example.com', registration)).toBeNull();
    expect(publicCallbackUrl('https://files.example.com', { ...registration, kind: 'oauth-app' })).toBeNull();
  });
});
