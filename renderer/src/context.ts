import { createContext, useContext } from 'react';
import type { ConnectorState, PortholeBridge } from '../../server/api.ts';
import type { BridgeHandle } from './bridge.ts';
import type { Dashboard } from './hooks/useDashboard.ts';

export interface AppContextValue {
  bridge: PortholeBridge;
  mode: BridgeHandle['mode'];
  dashboard: Dashboard;
  connector: ConnectorState;
  navigate: (view: ViewId) => void;
  /** Setup step 5 is done once the URL was copied in this window. */
  urlCopied: boolean;
  markUrlCopied: () => void;
}

export type ViewId = 'setup' | 'status' | 'folders' | 'activity' | 'clients' | 'settings';

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}

/** Opens a URL in the system browser (Electron) or a new tab (headless); false when a popup blocker said no. */
export async function openExternal(bridge: PortholeBridge, url: string): Promise<boolean> {
  if (bridge.desktop) {
    await bridge.desktop.openExternal(url);
    return true;
  }
  const opened = window.open(url, '_blank');
  if (!opened) return false;
  opened.opener = null;
  return true;
}
