// What the dashboard says about the public URL, rendered to HTML (no DOM needed): a changed URL on the
// first screen with the new one to copy, whether the URL is stable, and where ngrok's settings come from.
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ConnectorState, PortholeBridge } from '../../../server/api.ts';
import { patchConnectorState } from '../../../server/api-fixtures.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { makeState } from '../lib/testing.ts';
import { TunnelStability, UrlChangedNotice } from './TunnelNotice.tsx';
import { TunnelSettings } from './TunnelSettings.tsx';

function render(view: ReactElement, tunnel: Partial<ConnectorState['tunnel']>): string {
  const connector = patchConnectorState(makeState(), { tunnel });
  const value = {
    bridge: { desktop: null } as unknown as PortholeBridge,
    connector,
    navigate: () => {},
  } as unknown as AppContextValue;
  return renderToStaticMarkup(<AppContext.Provider value={value}>{view}</AppContext.Provider>);
}

describe('the URL notices', () => {
  it('a URL that changed since the last run: said on the first screen, with the new one to copy', () => {
    const html = render(<UrlChangedNotice />, { previousUrl: 'https://old-moss-lake-17.trycloudflare.com' });
    expect(html).toContain('changed since the last run');
    expect(html).toContain('https://old-moss-lake-17.trycloudflare.com/mcp');
    expect(html).toMatch(/data-testid="url-changed-new">https:\/\/[^<]+\/mcp</);
    expect(html).toContain('Choose a stable URL');
    expect(render(<UrlChangedNotice />, { previousUrl: null })).toBe('');
  });

  it('says whether the URL is stable, and suggests the stable options for a quick tunnel', () => {
    expect(render(<TunnelStability />, { stable: true })).toContain('data-testid="url-stable"');
    const quick = render(<TunnelStability />, { mode: 'quick', stable: false });
    expect(quick).toContain('This address changes when Porthole restarts');
    expect(quick).toMatch(/ngrok static domain or Tailscale Funnel/);
  });

  it('ngrok settings link to where the authtoken and the domain are found', () => {
    const html = render(<TunnelSettings />, {
      mode: 'ngrok',
      ngrokDomain: 'mona.ngrok-free.app',
      stable: true,
    });
    expect(html).toContain('href="https://dashboard.ngrok.com/get-started/your-authtoken"');
    expect(html).toContain('href="https://dashboard.ngrok.com/domains"');
    expect(html).toContain('value="mona.ngrok-free.app"');
    expect(html).toContain('Visit Site');
  });
});
