// The connector's hold on the tunnel: which provider runs (if any) for the settings of the
// moment, what the UI shows about it (is the URL stable, did it change since the last run), and
// the last public URL, remembered across restarts. The providers live in server/tunnel/.
import packageJson from '../../package.json' with { type: 'json' };
import { type ActivityInput, systemEntry } from '../activity/index.ts';
import type { ConnectorState, TunnelMode } from '../api.ts';
import type { SecretStore } from '../secrets.ts';
import type { Settings } from '../settings.ts';
import { isStableMode, NGROK_AUTHTOKEN_NAME, TUNNEL_TOKEN_NAME } from './choice.ts';
import { createTunnel } from './index.ts';
import { NGROK_LINKS, type NgrokModule, ngrokConnection } from './ngrok.ts';
import { RetryingTunnel, type TunnelProvider } from './provider.ts';
import { tailscaleConnection } from './tailscale.ts';

export { NGROK_AUTHTOKEN_NAME, saveTunnelChoice, TUNNEL_TOKEN_NAME, type TunnelChoice } from './choice.ts';

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
  /** Keeps the public URL for the next run (settings). */
  remember?: (url: string) => void;
  /** Tests: an ngrok SDK standing in for @ngrok/ngrok. */
  ngrok?: NgrokModule;
  /** Tests: how often the Tailscale watchdog looks. */
  tailscalePollMs?: number;
}

type TunnelSettings = Settings['tunnel'];

export class TunnelSlot {
  private provider: TunnelProvider | null = null;
  private running: { key: string } | null = null;
  private blocked: string | null = null;
  /** The URL of this run so far, or (before the first connection) the last run's; undefined until apply(). */
  private lastUrl: string | null | undefined = undefined;
  private previousUrl: string | null = null;

  constructor(private readonly options: TunnelSlotOptions) {}

  /** The public base URL while the tunnel has one (connected, or reconnecting to the same name). */
  publicUrl(): string | null {
    const status = this.provider?.status();
    if (!status?.publicUrl) return null;
    return status.state === 'connected' || status.state === 'reconnecting' ? status.publicUrl : null;
  }

  state(saved: TunnelSettings | undefined): ConnectorState['tunnel'] {
    const mode = this.options.mode ?? saved?.mode ?? 'quick';
    const hostname = saved?.hostname ?? null;
    const ngrokDomain = saved?.ngrokDomain ?? null;
    const common = {
      mode,
      hostname,
      ngrokDomain,
      stable: isStableMode(mode, ngrokDomain),
      previousUrl: this.previousUrl,
    };
    const status = this.provider?.status();
    if (status)
      return { ...common, state: status.state, publicUrl: status.publicUrl, message: status.message };
    return { ...common, state: 'off', publicUrl: null, message: this.blocked };
  }

  /** Starts, restarts or stops the tunnel to match the settings; no-op when nothing changed. */
  async apply(saved: TunnelSettings, target: { url: string | null; allowed: boolean }): Promise<void> {
    if (this.lastUrl === undefined) this.lastUrl = saved.lastPublicUrl ?? null;
    const mode = this.options.mode ?? saved.mode;
    this.blocked = null;
    if (mode === 'off' || !target.url) return this.stop();
    if (!target.allowed) {
      await this.stop();
      this.blocked = 'Waiting for GitHub sign-in to be set up: without it, a public URL would let anyone in.';
      this.options.onChange();
      return;
    }
    const secret = await this.secretFor(mode);
    const key = JSON.stringify([
      mode,
      target.url,
      saved.hostname,
      saved.binaryPath,
      saved.ngrokDomain,
      secret,
    ]);
    if (this.running?.key === key) return;
    await this.stop();
    const missing = missingSetup(mode, saved, secret);
    if (missing) {
      this.blocked = missing;
      this.options.onChange();
      return;
    }
    const provider = this.create(mode, saved, target.url, secret);
    provider.on('status', (status) => {
      if (status.state === 'connected' && status.publicUrl) this.connectedAt(status.publicUrl);
      this.options.onChange();
    });
    this.provider = provider;
    this.running = { key };
    void provider.start();
    this.options.onChange();
  }

  async stop(): Promise<void> {
    const provider = this.provider;
    this.provider = null;
    this.running = null;
    if (provider) {
      await provider.stop();
      this.options.onChange();
    }
  }

  private async secretFor(mode: TunnelMode): Promise<string | null> {
    if (mode === 'named') return this.options.secrets.get(TUNNEL_TOKEN_NAME);
    // NGROK_AUTHTOKEN is ngrok's own variable (https://ngrok.com/docs/agent/config/#authtoken), for `porthole serve`.
    if (mode === 'ngrok')
      return (
        (await this.options.secrets.get(NGROK_AUTHTOKEN_NAME)) ?? this.options.env.NGROK_AUTHTOKEN ?? null
      );
    return null;
  }

  private create(
    mode: TunnelMode,
    saved: TunnelSettings,
    targetUrl: string,
    secret: string | null,
  ): TunnelProvider {
    const o = this.options;
    if (mode === 'ngrok') {
      const connection = ngrokConnection({
        authtoken: secret ?? '',
        domain: saved.ngrokDomain,
        targetUrl,
        sdk: o.ngrok,
        version: packageJson.version,
      });
      return new RetryingTunnel(connection, { log: o.log });
    }
    if (mode === 'tailscale') {
      const connection = tailscaleConnection({
        targetUrl,
        stateDir: o.stateDir,
        env: o.env,
        pollMs: o.tailscalePollMs,
        log: o.log,
      });
      return new RetryingTunnel(connection, { log: o.log });
    }
    return createTunnel({
      mode: mode === 'named' ? 'named' : 'quick',
      targetUrl,
      stateDir: o.stateDir,
      binary: saved.binaryPath,
      env: o.env,
      resourcesPath: o.resourcesPath,
      token: secret,
      hostname: saved.hostname,
      log: o.log,
    });
  }

  /** A connection on `url`: if it is not the URL ChatGPT last had (this run or the last), say so. */
  private connectedAt(url: string): void {
    if (url === this.lastUrl) return;
    const previous = this.lastUrl ?? null;
    this.lastUrl = url;
    if (previous) this.previousUrl = previous;
    this.options.record(urlChangedEntry(previous, url));
    try {
      this.options.remember?.(url);
    } catch (error) {
      this.options.log(`tunnel: could not remember the public URL: ${(error as Error).message}`);
    }
  }
}

function missingSetup(mode: TunnelMode, saved: TunnelSettings, secret: string | null): string | null {
  if (mode === 'named' && (!secret || !saved.hostname))
    return 'The named tunnel needs its token and hostname: set them in Settings.';
  if (mode === 'ngrok' && !secret)
    return `ngrok needs your authtoken (from ${NGROK_LINKS.authtoken}): set it in Settings.`;
  return null;
}

function urlChangedEntry(previous: string | null, next: string): ActivityInput {
  return systemEntry(
    'tunnel-url-changed',
    previous
      ? `The public URL changed to ${next}: update the connector URL in ChatGPT to ${next}/mcp.`
      : `Public URL: ${next}/mcp`,
  );
}
