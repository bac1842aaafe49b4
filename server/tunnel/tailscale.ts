import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TUNNEL_LINKS } from '../api.ts';
import {
  type ConnectionEvents,
  type OpenConnection,
  type TunnelConnection,
  TunnelSetupError,
} from './provider.ts';

// Tailscale Funnel, through the `tailscale` CLI (https://tailscale.com/kb/1311/funnel-clil):
//   tailscale status --json          BackendState ("Running", "NeedsLogin", "Stopped", …) and Self.DNSName
//   tailscale funnel status --json   the serve config: Web["host:port"].Handlers["/"].Proxy, AllowFunnel
//   tailscale funnel --bg --https=P http://127.0.0.1:PORT   add a funnel on P (443, 8443 or 10000)
//   tailscale funnel --https=P off   remove it
// tailscaled keeps a funnel after we exit, so a funnel is ours only when we added it: we record it in
// the data folder before adding it, remove only what the record names (and only while it still points
// at what we recorded), and leave every other funnel alone (we take a free port instead). A leftover
// from a crash is removed at the next start.

export const TAILSCALE_LINKS = {
  download: TUNNEL_LINKS.tailscaleDownload,
  funnel: TUNNEL_LINKS.tailscaleFunnel,
  adminDns: TUNNEL_LINKS.tailscaleDns,
  adminAcls: TUNNEL_LINKS.tailscalePolicy,
} as const;

/** Funnel only listens on these ports (https://tailscale.com/kb/1223/funnel#requirements-and-limitations). */
export const FUNNEL_PORTS = [443, 8443, 10000] as const;
const RECORD_FILE = 'tailscale-funnel.json';

export interface TailscaleOptions {
  /** The local listener, http://127.0.0.1:PORT. */
  targetUrl: string;
  /** Where we record the funnel we added (the data folder). */
  stateDir: string;
  /** Path of the CLI; default $TAILSCALE_BIN, then the macOS app's, then `tailscale` on PATH. */
  binary?: string | null;
  env?: NodeJS.ProcessEnv;
  /** How often the watchdog checks that Tailscale runs and the funnel is still there. Default 15 s. */
  pollMs?: number;
  log?: (line: string) => void;
}

interface ServeConfig {
  TCP?: Record<string, unknown>;
  Web?: Record<string, { Handlers?: Record<string, { Proxy?: string }> }>;
  AllowFunnel?: Record<string, boolean>;
}

interface Record_ {
  port: number;
  target: string;
  host: string;
}

export function resolveTailscaleBinary(
  configured: string | null | undefined,
  env: NodeJS.ProcessEnv,
): string {
  if (configured) return configured;
  if (env.TAILSCALE_BIN) return env.TAILSCALE_BIN;
  const macApp = '/Applications/Tailscale.app/Contents/MacOS/Tailscale';
  if (process.platform === 'darwin' && existsSync(macApp)) return macApp;
  return process.platform === 'win32' ? 'tailscale.exe' : 'tailscale';
}

export function tailscaleConnection(options: TailscaleOptions): TunnelConnection {
  const env = options.env ?? process.env;
  const binary = resolveTailscaleBinary(options.binary, env);
  const log = options.log ?? (() => {});
  const recordPath = path.join(options.stateDir, RECORD_FILE);
  const run = (args: string[]) => runCli(binary, args, env);

  const status = async () => {
    const out = await run(['status', '--json']);
    if (out.error === 'ENOENT')
      throw new TunnelSetupError(
        `Tailscale is not installed here (no ${binary}): install it from ${TAILSCALE_LINKS.download}, or choose another tunnel.`,
      );
    const parsed = parseJson<{ BackendState?: string; Self?: { DNSName?: string } }>(out.stdout);
    if (!parsed) throw new Error(`tailscale status --json: ${firstLine(out.stderr || out.stdout)}`);
    return parsed;
  };
  const funnelStatus = async (): Promise<ServeConfig> => {
    const out = await run(['funnel', 'status', '--json']);
    const parsed = parseJson<ServeConfig>(out.stdout);
    if (out.code !== 0 || !parsed) throw explainCliFailure('tailscale funnel status', out);
    return parsed;
  };
  const removeIfOurs = async (rec: Record_) => {
    const config = await funnelStatus();
    if (proxyOf(config, rec.host, rec.port) !== rec.target) return;
    const out = await run(['funnel', `--https=${rec.port}`, 'off']);
    if (out.code !== 0) throw explainCliFailure('tailscale funnel off', out);
    log(`tunnel: removed the Tailscale funnel on port ${rec.port} (${rec.target})`);
  };

  return {
    name: 'Tailscale Funnel',
    startingMessage: 'Turning on Tailscale Funnel…',
    async open(events: ConnectionEvents): Promise<OpenConnection> {
      const self = await status();
      requireRunning(self.BackendState);
      const host = (self.Self?.DNSName ?? '').replace(/\.$/, '');
      if (!host)
        throw new TunnelSetupError(
          `Tailscale gave this computer no DNS name: turn on MagicDNS and HTTPS certificates at ${TAILSCALE_LINKS.adminDns}.`,
        );
      const leftover = readRecord(recordPath);
      if (leftover && leftover.target !== options.targetUrl) {
        await removeIfOurs(leftover);
        rmSync(recordPath, { force: true });
      }
      const before = await funnelStatus();
      const port = FUNNEL_PORTS.find((p) => {
        const proxy = proxyOf(before, host, p);
        return proxy === options.targetUrl || (proxy === null && !before.TCP?.[String(p)]);
      });
      if (port === undefined)
        throw new TunnelSetupError(
          `Tailscale Funnel's ports (${FUNNEL_PORTS.join(', ')}) already serve something else on this computer; Porthole leaves them alone. Free one (see \`tailscale funnel status\`), or choose another tunnel.`,
        );
      const rec: Record_ = { port, target: options.targetUrl, host };
      const present =
        proxyOf(before, host, port) === options.targetUrl && !!before.AllowFunnel?.[`${host}:${port}`];
      // Already there and not in our record: the person made it, so it stays when we stop.
      const ours = !present || (leftover?.port === port && leftover.target === options.targetUrl);
      if (ours) {
        mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
        writeFileSync(recordPath, JSON.stringify(rec), { mode: 0o600 });
      }
      if (!present) {
        const out = await run(['funnel', '--bg', '--yes', `--https=${port}`, options.targetUrl]);
        if (out.code !== 0) {
          rmSync(recordPath, { force: true });
          throw explainCliFailure('tailscale funnel', out);
        }
      }
      const after = await funnelStatus();
      if (proxyOf(after, host, port) !== options.targetUrl || !after.AllowFunnel?.[`${host}:${port}`])
        throw new Error(`the funnel on port ${port} did not appear in \`tailscale funnel status\``);
      const url = port === 443 ? `https://${host}` : `https://${host}:${port}`;

      // The watchdog: Tailscale still running, and our funnel still in place.
      let checking = false;
      const timer = setInterval(() => {
        if (checking) return;
        checking = true;
        void (async () => {
          const now = await status();
          if (now.BackendState !== 'Running')
            return events.lost(`Tailscale is ${now.BackendState ?? 'not running'}`);
          const config = await funnelStatus();
          if (proxyOf(config, host, port) !== options.targetUrl) return events.lost('the funnel was removed');
          events.regained();
        })()
          .catch((error: Error) => events.lost(error.message))
          .finally(() => {
            checking = false;
          });
      }, options.pollMs ?? 15_000);
      timer.unref();

      return {
        url,
        message: `Tailscale Funnel is on (port ${port}).`,
        close: async () => {
          clearInterval(timer);
          if (!ours) return;
          await removeIfOurs(rec);
          rmSync(recordPath, { force: true });
        },
      };
    },
  };
}

function requireRunning(state: string | undefined): void {
  if (state === 'Running') return;
  if (state === 'NeedsLogin' || state === 'NoState')
    throw new TunnelSetupError(
      'Tailscale is not signed in on this computer: open Tailscale (or run `tailscale up`) and sign in.',
    );
  if (state === 'Stopped')
    throw new TunnelSetupError(
      'Tailscale is turned off on this computer: turn it on (or run `tailscale up`).',
    );
  if (state === 'NeedsMachineAuth')
    throw new TunnelSetupError('This computer waits for approval in the Tailscale admin console (Machines).');
  throw new Error(`Tailscale is ${state ?? 'not ready'}`);
}

function proxyOf(config: ServeConfig, host: string, port: number): string | null {
  return config.Web?.[`${host}:${port}`]?.Handlers?.['/']?.Proxy ?? null;
}

function explainCliFailure(what: string, out: CliResult): Error {
  const text = `${out.stderr}\n${out.stdout}`;
  if (/funnel is not enabled|funnel.*not.*enabled|requires.*funnel/i.test(text)) {
    const link = /https:\/\/login\.tailscale\.com\/\S+/.exec(text)?.[0] ?? TAILSCALE_LINKS.adminAcls;
    return new TunnelSetupError(
      `Tailscale Funnel is not enabled for this computer: enable it at ${link} (the "funnel" attribute in the tailnet policy, and HTTPS certificates), then choose Tailscale again. See ${TAILSCALE_LINKS.funnel}.`,
    );
  }
  if (/logged out|not logged in|NeedsLogin/i.test(text))
    return new TunnelSetupError(
      'Tailscale is not signed in on this computer: open Tailscale (or run `tailscale up`) and sign in.',
    );
  return new Error(`${what} failed: ${firstLine(out.stderr || out.stdout) || `exit code ${out.code}`}`);
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  error?: string;
}

function runCli(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: 20_000, windowsHide: true }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
        error: typeof err?.code === 'string' ? err.code : undefined,
      });
    });
  });
}

function readRecord(file: string): Record_ | null {
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as Record_;
    return typeof rec.port === 'number' && typeof rec.target === 'string' && typeof rec.host === 'string'
      ? rec
      : null;
  } catch {
    return null;
  }
}

function parseJson<T>(text: string): T | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as T) : null;
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
