import { type TunnelOptions, TunnelSupervisor } from './supervisor.ts';

// The cloudflared tunnel, for the connector: createTunnel(options), then start(), stop(), status(),
// and the `status` / `urlChanged` events.

export type { CloudflaredMode } from './args.ts';
export type { BackoffOptions } from './backoff.ts';
export { type BinaryResolution, resolveCloudflaredBinary } from './binary.ts';
export { normalizeHostname } from './hostname.ts';
export type { TunnelEvents, TunnelStatus } from './status-emitter.ts';
export type { TunnelOptions } from './supervisor.ts';
export { TunnelSupervisor } from './supervisor.ts';

export function createTunnel(options: TunnelOptions): TunnelSupervisor {
  return new TunnelSupervisor(options);
}
