// The connector's hold on the tunnel: which supervisor runs (if any) for the settings of the
// moment, what the UI shows about it, and saving the mode a person chooses. The supervisor
// itself lives in server/tunnel/.
import { type ActivityInput, systemEntry } from '../activity/index.ts';
import type { ConnectorState, ControlApi, TunnelMode } from '../api.ts';
import type { SecretStore } from '../secrets.ts';
import type { Settings, SettingsFile } from '../settings.ts';
import { normalizeHostname } from './hostname.ts';
import { createTunnel, type TunnelSupervisor } from './index.ts';

/** The keychain entry of a named tunnel's token. */
export const TUNNEL_TOKEN_NAME = 'tunnel.token';

export interface TunnelSlotOptions {
  /** Overrides the mode from settings (the CLI's --tunnel). */
  mode?: TunnelMode;
  resourcesPath: string | null;
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
  stateDir: string;
  log: (line: string) => void;
  onChange: () => void;
  /** Where the slot says that the public URL changed (the activity log). */
  record: (entry: ActivityInput) => void;
}

type TunnelSettings = Settings['tunnel'];

export class TunnelSlot {
  private supervisor: TunnelSupervisor | null = null;
  private running: { key: string } | null = null;
  private blocked: string | null = null;
  private lastUrl: string | null = null;

  constructor(private readonly options: TunnelSlotOptions) {}

  /** The public base URL while the tunnel has one (connected, or reconnecting to the same name). */
  publicUrl(): string | null {
    const status = this.supervisor?.status();
    if (!status?.publicUrl) return null;
    return status.state === 'connected' || status.state === 'reconnecting' ? status.publicUrl : null;
  }

  state(saved: TunnelSettings | undefined): ConnectorState['tunnel'] {
    const mode = this.options.mode ?? saved?.mode ?? 'quick';
    const hostname = saved?.hostname ?? null;
    const status = this.supervisor?.status();
    if (status)
      return { mode, hostname, state: status.state, publicUrl: status.publicUrl, message: status.message };
    return { mode, hostname, state: 'off', publicUrl: null, message: this.blocked };
  }

  /** Starts, restarts or stops the tunnel to match the settings; no-op when nothing changed. */
  async apply(saved: TunnelSettings, target: { url: string | null; allowed: boolean }): Promise<void> {
    const mode = this.options.mode ?? saved.mode;
    this.blocked = null;
    if (mode === 'off' || !target.url) return this.stop();
    if (!target.allowed) {
      await this.stop();
      this.blocked = 'Waiting for GitHub sign-in to be set up: without it, a public URL would let anyone in.';
      this.options.onChange();
      return;
    }
    const token = mode === 'named' ? await this.options.secrets.get(TUNNEL_TOKEN_NAME) : null;
    const key = JSON.stringify([mode, target.url, saved.hostname, saved.binaryPath, token !== null]);
    if (this.running?.key === key) return;
    await this.stop();
    if (mode === 'named' && (!token || !saved.hostname)) {
      this.blocked = 'The named tunnel needs its token and hostname: set them in Settings.';
      this.options.onChange();
      return;
    }
    const supervisor = createTunnel({
      mode,
      targetUrl: target.url,
      stateDir: this.options.stateDir,
      binary: saved.binaryPath,
      env: this.options.env,
      resourcesPath: this.options.resourcesPath,
      token,
      hostname: saved.hostname,
      log: this.options.log,
    });
    supervisor.on('status', () => {
      const url = supervisor.status().publicUrl;
      if (url && url !== this.lastUrl && supervisor.status().state === 'connected') {
        const previous = this.lastUrl;
        this.lastUrl = url;
        this.options.record(urlChangedEntry(previous, url));
      }
      this.options.onChange();
    });
    this.supervisor = supervisor;
    this.running = { key };
    void supervisor.start();
    this.options.onChange();
  }

  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = null;
    this.running = null;
    if (supervisor) {
      await supervisor.stop();
      this.options.onChange();
    }
  }
}

function urlChangedEntry(previous: string | null, next: string): ActivityInput {
  return systemEntry(
    'tunnel-url-changed',
    previous
      ? `The public URL changed to ${next}: update the connector URL in ChatGPT to ${next}/mcp.`
      : `Public URL: ${next}/mcp`,
  );
}

export type TunnelChoice = Parameters<ControlApi['setTunnel']>[0];

/**
 * Saves the mode a person chose. A named tunnel needs its hostname (settings) and its token (the
 * keychain); either may have been saved before. Applying it is TunnelSlot.apply's job.
 */
export async function saveTunnelChoice(
  next: TunnelChoice,
  settings: SettingsFile,
  secrets: SecretStore,
): Promise<void> {
  if (next.mode !== 'named') {
    settings.update((s) => {
      s.tunnel.mode = next.mode;
    });
    return;
  }
  const hostname = normalizeHostname(next.hostname ?? settings.get().tunnel.hostname);
  if (!hostname) throw new Error('A named tunnel needs its public hostname, e.g. files.example.com.');
  const token = next.token?.trim();
  if (token) await secrets.set(TUNNEL_TOKEN_NAME, token);
  else if (!(await secrets.get(TUNNEL_TOKEN_NAME)))
    throw new Error('A named tunnel needs its token (from the Cloudflare dashboard: Networks → Tunnels).');
  settings.update((s) => {
    s.tunnel.mode = 'named';
    s.tunnel.hostname = hostname;
  });
}
