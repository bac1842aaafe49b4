import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FAKE_CLOUDFLARED,
  type Origin,
  readFakeState,
  startOrigin,
  waitFor,
} from '../../e2e/fixtures/fake-cloudflared-testing.ts';
import { createTunnel, type TunnelOptions, type TunnelStatus, type TunnelSupervisor } from './index.ts';

// A supervisor on the fake cloudflared, with a local origin and scratch directories, for tests.

export interface Harness {
  root: string;
  stateDir: string;
  /** Where the fake writes <pid>.json. */
  fakeDir: string;
  /** An empty HOME for cloudflared, so the developer's own ~/.cloudflared never matters. */
  home: string;
  origin: Origin;
  tunnel: TunnelSupervisor;
  lines: string[];
  statuses: TunnelStatus[];
  urlChanges: [string | null, string][];
  /** The options the tunnel was created with (for a second supervisor on the same state dir). */
  options: TunnelOptions;
  close(): Promise<void>;
}

export async function harness(
  overrides: Partial<TunnelOptions> = {},
  fakeEnv: Record<string, string> = {},
): Promise<Harness> {
  const root = mkdtempSync(path.join(tmpdir(), 'porthole-tunnel-'));
  const stateDir = path.join(root, 'state');
  const fakeDir = path.join(root, 'fake');
  const home = path.join(root, 'home');
  mkdirSync(fakeDir);
  mkdirSync(home);
  const origin = await startOrigin('ours');
  const lines: string[] = [];
  const options: TunnelOptions = {
    mode: 'quick',
    targetUrl: origin.url,
    stateDir,
    binary: FAKE_CLOUDFLARED,
    env: {
      ...process.env,
      HOME: home,
      FAKE_CLOUDFLARED_STATE_DIR: fakeDir,
      FAKE_CLOUDFLARED_DELAY_MS: '50',
      ...fakeEnv,
    },
    backoff: { initialMs: 100, maxMs: 2000 },
    stopGraceMs: 3000,
    log: (line) => lines.push(line),
    ...overrides,
  };
  const tunnel = createTunnel(options);
  const statuses: TunnelStatus[] = [];
  const urlChanges: [string | null, string][] = [];
  tunnel.on('status', (status) => statuses.push(status));
  tunnel.on('urlChanged', (from, to) => urlChanges.push([from, to]));
  return {
    root,
    stateDir,
    fakeDir,
    home,
    origin,
    tunnel,
    lines,
    statuses,
    urlChanges,
    options,
    close: async () => {
      await tunnel.stop();
      await origin.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Waits for `connected` with a known cloudflared pid (other than `notPid`) and returns both. */
export async function connected(
  tunnel: TunnelSupervisor,
  notPid: number | null = null,
): Promise<{ pid: number; status: TunnelStatus }> {
  return waitFor(() => {
    const pid = tunnel.pid();
    const status = tunnel.status();
    return status.state === 'connected' && pid !== null && pid !== notPid ? { pid, status } : null;
  }, 'the tunnel to be connected');
}

/** A request "from the internet": to the fake's edge port, standing in for the public URL. */
export async function viaTunnel(
  h: Harness,
  pid: number,
  urlPath: string,
  init?: RequestInit,
): Promise<Response> {
  const state = await waitFor(() => readFakeState(h.fakeDir, pid), `the fake's state file for pid ${pid}`);
  return fetch(`http://127.0.0.1:${state.port}${urlPath}`, { ...init, signal: AbortSignal.timeout(10_000) });
}

export { FAKE_CLOUDFLARED };
