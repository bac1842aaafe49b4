import { useApp } from '../context.ts';
import { Callout } from './ui.tsx';

// When a headless Porthole found no OS keychain and keeps its secrets in a file of the data folder
// (or was told to), the Status screen says so, with the connector's own words (state.secretStorage).

export function SecretStorageNotice() {
  const { secretStorage } = useApp().connector;
  if (secretStorage.kind !== 'file' || !secretStorage.warning) return null;
  return (
    <div className="secret-storage-notice" data-testid="secret-storage-notice">
      <Callout tone="warning" title="Secrets are in a file, not in an OS keychain">
        <p>{secretStorage.warning}</p>
      </Callout>
    </div>
  );
}
