// Shows the notifications notifications.ts decides on. Remembers the last tunnel URL across
// launches (in the data dir), so a launch only says "URL changed" when it did.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { Notification } from 'electron';
import type { ActivityEntry, ConnectorState } from '../server/api.ts';
import {
  firstMemory,
  type NotificationSpec,
  notificationForActivity,
  notificationsFor,
  rememberState,
} from './notifications.ts';

export interface Notifier {
  onState(state: ConnectorState): void;
  onActivity(entry: ActivityEntry): void;
}

function readLastUrl(file: string): string | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')).lastPublicUrl;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function createNotifier(options: {
  /** A small JSON file of the shell's own: `{ lastPublicUrl }`. */
  stateFile: string;
  onAction: (action: NonNullable<NotificationSpec['action']>) => void;
  log: (line: string) => void;
}): Notifier {
  let lastUrl = readLastUrl(options.stateFile);
  let memory: ConnectorState | null = null;

  const show = (spec: NotificationSpec) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: spec.title, body: spec.body, silent: false });
    const { action } = spec;
    if (action) notification.on('click', () => options.onAction(action));
    notification.show();
  };

  const saveUrl = (url: string) => {
    lastUrl = url;
    const temp = `${options.stateFile}.tmp`;
    writeFile(temp, JSON.stringify({ lastPublicUrl: url }))
      .then(() => rename(temp, options.stateFile))
      .catch((e: Error) => options.log(`notifications: could not remember the tunnel URL: ${e.message}`));
  };

  return {
    onState(state) {
      const prev = memory ?? firstMemory(state, lastUrl);
      for (const spec of notificationsFor(prev, state)) show(spec);
      memory = rememberState(prev, state);
      const url = memory.tunnel.publicUrl;
      if (url && url !== lastUrl) saveUrl(url);
    },
    onActivity(entry) {
      const spec = notificationForActivity(entry);
      if (spec) show(spec);
    },
  };
}
