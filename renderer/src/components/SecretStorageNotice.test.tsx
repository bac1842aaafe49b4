// The warning of a Porthole that keeps its secrets in a file, rendered to HTML (no DOM needed).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ConnectorState } from '../../../server/api.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { makeState } from '../lib/testing.ts';
import { SecretStorageNotice } from './SecretStorageNotice.tsx';

function render(connector: ConnectorState): string {
  const value = { connector } as unknown as AppContextValue;
  return renderToStaticMarkup(
    <AppContext.Provider value={value}>
      <SecretStorageNotice />
    </AppContext.Provider>,
  );
}

describe('SecretStorageNotice', () => {
  it('shows the connector’s warning when secrets are in a file', () => {
    const warning =
      'Secrets are kept in /srv/porthole/secrets.json (readable by you only), not in an OS keychain.';
    const html = render(
      makeState({ secretStorage: { kind: 'file', file: '/srv/porthole/secrets.json', warning } }),
    );
    expect(html).toContain('data-testid="secret-storage-notice"');
    expect(html).toContain('Secrets are in a file, not in an OS keychain');
    expect(html).toContain(warning);
  });

  it('shows nothing with the keychain', () => {
    expect(render(makeState())).toBe('');
  });
});
