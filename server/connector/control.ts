// The commands every UI uses (ControlApi), on the running connector: each one changes a part,
// writes one activity entry and tells the UIs.
import { systemEntry } from '../activity/index.ts';
import { type ConnectorState, type ControlApi, GITHUB_COM } from '../api.ts';
import type { GitHubAppSource } from '../github/app.ts';
import { callbackUrlsFor, stablePublicBase } from '../github/callbacks.ts';
import type { GitHubClient } from '../github/client.ts';
import type { SecretStore } from '../secrets.ts';
import { describeDuration } from '../settings.ts';
import { saveTunnelChoice } from '../tunnel/slot.ts';
import { folderPathFromUi } from './folder-path.ts';
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
  /** Sign-ins go through this app from now on (the authorization server starts with the first). */
  const useGitHubApp = async (runtime: Runtime, client: GitHubClient, summary: string) => {
    await runtime.auth.use(client);
    runtime.ownership.dropIfOtherHost();
    runtime.activity.record(systemEntry('github-app-set', summary));
    await parts.applyTunnel(runtime);
    changed();
  };
  return {
    getState: async () => parts.state(),
    listActivity: async (opts) => parts.current()?.activity.recent(opts?.limit) ?? [],
    exportActivity: async () => (await parts.current()?.activity.exportRetained()) ?? '',
    addFolder: async (folderPath) => {
      const { library, activity } = running();
      // Typed in a UI: `~` expanded, a relative path refused (folder-path.ts).
      const status = await library.addFolder(folderPathFromUi(folderPath));
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
      await useGitHubApp(
        runtime,
        await parts.github.save(app, runtime.settings),
        `client ${app.clientId.trim()}`,
      );
    },
    beginGitHubAppSetup: async (options) => {
      const runtime = running();
      const saved = runtime.settings.get().github;
      const webUrl = options?.webUrl ?? saved.webUrl;
      // A web URL without an API URL: GitHub.com's API, or a GitHub Enterprise Server's /api/v3.
      const apiUrl =
        options?.apiUrl ??
        (options?.webUrl === undefined
          ? saved.apiUrl
          : sameOrigin(webUrl, GITHUB_COM.webUrl)
            ? GITHUB_COM.apiUrl
            : `${webUrl.replace(/\/+$/, '')}/api/v3`);
      const callbackUrls = callbackUrlsFor(runtime.localUrl, stablePublicBase(parts.state().tunnel));
      return runtime.appSetup.begin({
        webUrl,
        apiUrl,
        organization: options?.organization ?? null,
        callbackUrls,
        onCreated: async (created, request) => {
          const client = await parts.github.saveCreated(
            created,
            {
              webUrl: request.webUrl,
              apiUrl: request.apiUrl,
              callbackUrls: request.callbackUrls,
              port: runtime.port,
            },
            runtime.settings,
          );
          await useGitHubApp(runtime, client, `GitHub App ${created.slug}, client ${created.clientId}`);
        },
      });
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

function sameOrigin(a: string, b: string): boolean {
  return URL.parse(a)?.origin === URL.parse(b)?.origin;
}
