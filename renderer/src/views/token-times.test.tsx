// The Clients and Settings views rendered to HTML (no DOM needed): they show each client's last
// refresh and access expiry, and the token lifetime setting with why long lifetimes are safe.
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectedClient, PortholeBridge } from '../../../server/api.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import type { Dashboard } from '../hooks/useDashboard.ts';
import { initialDashboardState } from '../lib/store.ts';
import { makeState } from '../lib/testing.ts';
import { ClientsView } from './ClientsView.tsx';
import { SettingsView } from './SettingsView.tsx';

const NOW = Date.UTC(2025, 2, 4, 12, 0, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function client(overrides: Partial<ConnectedClient>): ConnectedClient {
  return {
    clientId: 'https://claude.ai/oauth/client',
    name: 'Claude',
    host: 'claude.ai',
    redirectHost: 'claude.ai',
    createdAt: at(-DAY),
    lastUsedAt: at(-HOUR),
    lastCodeExchangeAt: at(-DAY),
    lastRefreshAt: null,
    accessExpiresAt: at(6 * DAY),
    ...overrides,
  };
}

function render(view: ReactElement, clients: ConnectedClient[] = []): string {
  const dashboard = {
    state: { ...initialDashboardState, connector: makeState(), clients },
    dispatch: () => {},
    reloadClients: async () => {},
  } as unknown as Dashboard;
  const value = {
    bridge: { desktop: null } as unknown as PortholeBridge,
    mode: 'http',
    dashboard,
    connector: makeState(),
    navigate: () => {},
    urlCopied: false,
    markUrlCopied: () => {},
  } as unknown as AppContextValue;
  return renderToStaticMarkup(<AppContext.Provider value={value}>{view}</AppContext.Provider>);
}

const cell = (html: string, testId: string) =>
  [...html.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);

describe('ClientsView', () => {
  it('shows when each client last refreshed (or never) and when its access expires', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      const html = render(<ClientsView />, [
        client({}),
        client({
          clientId: 'https://chatgpt.com/oauth/client',
          name: 'ChatGPT',
          lastRefreshAt: at(-2 * HOUR),
          accessExpiresAt: at(-3 * HOUR),
        }),
      ]);
      expect(html).toContain('Last refresh');
      expect(html).toContain('Access expires');
      // Sorted by last use: both used an hour ago, so the order is the list's.
      expect(cell(html, 'client-last-refresh')).toEqual(['never', '2 h ago']);
      expect(cell(html, 'client-access-expires')).toEqual(['in 6 days', 'expired 3 h ago']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SettingsView', () => {
  it('offers the token lifetimes with the current values and says why long ones are safe', () => {
    const html = render(<SettingsView />);
    expect(html).toContain('Access token lifetime');
    expect(html).toContain('Refresh token lifetime');
    expect(html).toMatch(/<option value="604800" selected="">7 days<\/option>/);
    expect(html).toMatch(/<option value="2592000" selected="">30 days<\/option>/);
    expect(html).toMatch(/revoking\s+an app in Clients cuts it off at once/);
  });
});
