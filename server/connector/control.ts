// The commands every UI uses (ControlApi), on the running connector: each one changes a part,
// writes one activity entry and tells the UIs.
import { systemEntry } from '../activity/index.ts';
import type { ConnectorState, ControlApi } from '../api.ts';
import type { GitHubAppSource } from '../github/app.ts';
import type { SecretStore } from '../secrets.ts';
import { describeDuration } from '../settings.ts';
import { saveTunnelChoice } from '../tunnel/slot.ts';
import type { Runtime } from './runtime.ts';

export interface ControlParts {
  state(): ConnectorState;
  /** The runtime, or the "not running yet" error. */
  running(): Runtime;
  /** The runtime, or null before start() and after stop(). */
  current(): Runtime | null;
  github: GitHubAppSource;
  secrets: SecretStore;
  /** Starts, restarts or stops the tunnel to match the settings and the authorization server. */
  applyTunnel(runtime: Runtime): Promise<void>;
  /** The state changed: tell the UIs. */
  changed(): void;
}

export function createControl(parts: ControlParts): ControlApi {
  const { running, changed } = parts;
  return {
    getState: async () => parts.state(),
    listActivity: async (opts) => parts.current()?.activity.recent(opts?.limit) ?? [],
    addFolder: async (folderPath) => {
      const { library, activity } = running();
      const status = await library.addFolder(folderPath);
      activity.record(systemEntry('folder-added', status.path));
      changed();
      return status;
    },
    removeFolder: async (folderId) => {
      const { library, activity } = running();
      const folder = library.listFolders().find((f) => f.id === folderId);
      if (!folder) throw new Error('No shared folder has this id.');
      await library.removeFolder(folderId);
      activity.record(systemEntry('folder-removed', folder.path));
      changed();
    },
    reindexFolder: async (folderId) => {
      await running().library.reindex(folderId);
    },
    setPaused: async (paused) => {
      const { settings, activity } = running();
      settings.update((s) => {
        s.paused = paused;
      });
      activity.record(systemEntry(paused ? 'paused' : 'resumed', ''));
      changed();
    },
    beginOwnerSignIn: async () => running().ownership.beginSignIn(),
    setGitHubApp: async (app) => {
      const runtime = running();
      await runtime.auth.use(await parts.github.save(app, runtime.settings));
      runtime.ownership.dropIfOtherHost();
      runtime.activity.record(systemEntry('github-app-set', `client ${app.clientId.trim()}`));
      await parts.applyTunnel(runtime);
      changed();
    },
    setTunnel: async (next) => {
      const runtime = running();
      await saveTunnelChoice(next, runtime.settings, parts.secrets);
      runtime.activity.record(systemEntry('tunnel-mode', next.mode));
      await parts.applyTunnel(runtime);
      changed();
    },
    setAutoUpdate: async (enabled) => {
      const { settings, activity } = running();
      settings.update((s) => {
        s.autoUpdate = enabled;
      });
      activity.record(systemEntry('auto-update', enabled ? 'on' : 'off'));
      changed();
    },
    setTokenLifetimes: async (lifetimes) => {
      const { settings, activity } = running();
      const next = settings.update((s) => {
        s.tokenLifetimes = {
          accessTokenSeconds: lifetimes.accessTokenSeconds,
          refreshTokenSeconds: lifetimes.refreshTokenSeconds,
        };
      }).tokenLifetimes;
      const access = describeDuration(next.accessTokenSeconds);
      activity.record(
        systemEntry(
          'token-lifetimes',
          `access ${access}, refresh ${describeDuration(next.refreshTokenSeconds)}`,
        ),
      );
      changed();
    },
    listClients: async () => parts.current()?.auth.current()?.listClients() ?? [],
    revokeClient: async (clientId) => {
      const { auth, activity } = running();
      if (!auth.require().revokeClient(clientId)) throw new Error('No connected client has this id.');
      activity.record({ ...systemEntry('client-revoked', clientId), kind: 'auth' });
      changed();
    },
    revokeAllClients: async () => {
      const { auth, activity } = running();
      const revoked = auth.require().revokeAllGrants();
      activity.record({ ...systemEntry('clients-revoked', `${revoked} grants`), kind: 'auth' });
      changed();
      return revoked;
    },
  };
}
