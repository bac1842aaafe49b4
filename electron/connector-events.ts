// Where each connector event goes in the desktop shell: the window's page (over IPC), the
// tray, the update setting and the notifications.
import path from 'node:path';
import type { Connector } from '../server/connector.ts';
import type { AutoUpdateFollower } from './auto-update-follower.ts';
import { EVENT_CHANNEL } from './bridge.ts';
import { copyConnectorUrl, type DesktopTray } from './desktop-tray.ts';
import { createNotifier } from './notifier.ts';
import type { WindowController } from './window.ts';

/** Starts forwarding; the returned function stops it. */
export function forwardConnectorEvents(options: {
  connector: Pick<Connector, 'state' | 'control' | 'subscribe'>;
  windows: WindowController;
  tray: DesktopTray;
  updates: AutoUpdateFollower;
  dataDir: string;
  log: (line: string) => void;
}): () => void {
  const { connector, windows, tray, updates } = options;
  const notifier = createNotifier({
    stateFile: path.join(options.dataDir, 'desktop-state.json'),
    log: options.log,
    onAction: (action) => {
      if (action === 'copy-url') copyConnectorUrl(connector);
      windows.show();
    },
  });
  return connector.subscribe((event) => {
    windows.send(EVENT_CHANNEL, event);
    if (event.type === 'state') {
      tray.refresh(event.state);
      updates.follow(event.state.autoUpdate);
      notifier.onState(event.state);
    } else if (event.type === 'activity') {
      notifier.onActivity(event.entry);
    }
  });
}
