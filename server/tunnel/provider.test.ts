import { describe, expect, it } from 'vitest';
import { eventually } from '../library/testing.ts';
import { type ConnectionEvents, RetryingTunnel, type TunnelConnection } from './provider.ts';

// RetryingTunnel with a scripted connection: each open() hands back a connection whose close()
// finishes only when the test says so.
function scripted() {
  const opened: { events: ConnectionEvents; closeStarted: boolean; finishClose: () => void }[] = [];
  const connection: TunnelConnection = {
    name: 'Scripted',
    startingMessage: 'Starting…',
    async open(events) {
      const entry = { events, closeStarted: false, finishClose: () => {} };
      opened.push(entry);
      return {
        url: `https://tunnel-${opened.length}.example`,
        message: 'Connected.',
        close: () =>
          new Promise<void>((resolve) => {
            entry.closeStarted = true;
            entry.finishClose = resolve;
          }),
      };
    },
  };
  return { connection, opened };
}

describe('RetryingTunnel', () => {
  it('stop waits for a connection the watchdog is still closing', async () => {
    const { connection, opened } = scripted();
    const tunnel = new RetryingTunnel(connection, { reconnectGraceMs: 1, backoff: { initialMs: 60_000 } });
    await tunnel.start();
    expect(tunnel.status().state).toBe('connected');
    const first = opened[0]!;
    first.events.lost('link down');
    // The grace period runs out: the watchdog starts closing the connection.
    await eventually(() => first.closeStarted);

    const order: string[] = [];
    const stopped = tunnel.stop().then(() => order.push('stopped'));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    order.push('closed');
    first.finishClose();
    await stopped;
    expect(order).toEqual(['closed', 'stopped']);
    expect(tunnel.status().state).toBe('off');
  });
});
