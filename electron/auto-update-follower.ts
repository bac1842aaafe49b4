// Updates from GitHub Releases, following the "Automatic updates" setting as it changes: on
// starts checking (when updater.ts's decision allows), off stops, and a start that finishes
// after the setting was turned off again is stopped at once.
import { type AutoUpdate, startAutoUpdateForApp } from './updater.ts';

export interface AutoUpdateFollower {
  /** Called with the setting on every state; acts only when it changed. */
  follow(enabled: boolean): void;
  stop(): void;
}

export function followAutoUpdate(options: {
  log: (line: string) => void;
  /** Tests pass their own. */
  start?: (options: { log: (line: string) => void; enabled: boolean }) => Promise<AutoUpdate | null>;
}): AutoUpdateFollower {
  const { log } = options;
  const start = options.start ?? startAutoUpdateForApp;
  let updates: AutoUpdate | null = null;
  let wanted: boolean | null = null;
  return {
    follow(enabled) {
      if (enabled === wanted) return;
      wanted = enabled;
      updates?.stop();
      updates = null;
      if (!enabled) {
        log('update: off (turned off in Settings)');
        return;
      }
      void start({ log, enabled })
        .then((started) => {
          if (wanted) updates = started;
          else started?.stop();
        })
        .catch((e: Error) => log(`update: ${e.message}`));
    },
    stop() {
      updates?.stop();
    },
  };
}
