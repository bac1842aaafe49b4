import { describe, expect, it } from 'vitest';
import { parseLogLine } from './parse-log.ts';

// Lines as cloudflared 2024.x prints them (copied in shape from real runs: quick tunnel start-up,
// named tunnel start-up, a network drop, shutdown, token and usage errors).
const QUICK_START = `2024-09-02T08:14:01Z INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out.
2024-09-02T08:14:01Z INF Requesting new quick Tunnel on trycloudflare.com...
2024-09-02T08:14:03Z INF +--------------------------------------------------------------------------------------------+
2024-09-02T08:14:03Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2024-09-02T08:14:03Z INF |  https://seasonal-deck-organisms-sf.trycloudflare.com                                      |
2024-09-02T08:14:03Z INF +--------------------------------------------------------------------------------------------+
2024-09-02T08:14:03Z INF Version 2024.8.2 (Checksum 3c2d1e0f)
2024-09-02T08:14:03Z INF GOOS: linux, GOVersion: go1.22.5, GoArch: amd64
2024-09-02T08:14:03Z INF Settings: map[config:/home/me/.config/porthole/cloudflared-config.yml ha-connections:1 no-autoupdate:true protocol:quic url:http://127.0.0.1:4100]
2024-09-02T08:14:03Z INF Generated Connector ID: 0b8f0c59-0c4e-4b57-a3a1-2d5f3a3b4f1e
2024-09-02T08:14:03Z INF Initial protocol quic
2024-09-02T08:14:03Z WRN failed to sufficiently increase receive buffer size (was: 208 kiB, wanted: 7168 kiB, got: 416 kiB). See https://github.com/quic-go/quic-go/wiki/UDP-Buffer-Sizes for details.
2024-09-02T08:14:03Z INF Starting metrics server on 127.0.0.1:20241/metrics
2024-09-02T08:14:04Z INF Registered tunnel connection connIndex=0 connection=7f2a9b1c-1f0e-4a6d-9d3e-5b8c7a6e4d21 event=0 ip=198.41.200.13 location=ams10 protocol=quic`;

describe('parseLogLine', () => {
  it('finds the URL and the registration in a quick tunnel start-up, and nothing else', () => {
    const events = QUICK_START.split('\n')
      .map(parseLogLine)
      .filter((e) => e !== null);
    expect(events).toEqual([
      { kind: 'url', url: 'https://seasonal-deck-organisms-sf.trycloudflare.com' },
      { kind: 'registered', connIndex: 0, location: 'ams10' },
    ]);
  });

  it('reads the connection index of each registration of a named tunnel', () => {
    const line =
      '2024-09-02T08:20:11Z INF Registered tunnel connection connIndex=3 connection=1d2c3b4a-0000-4000-8000-000000000003 event=0 ip=198.41.192.47 location=fra19 protocol=quic';
    expect(parseLogLine(line)).toEqual({ kind: 'registered', connIndex: 3, location: 'fra19' });
  });

  it('sees connections going away', () => {
    const lines = [
      '2024-09-02T09:00:00Z ERR failed to serve tunnel connection error="timeout: no recent network activity" connIndex=0 event=0 ip=198.41.200.13',
      '2024-09-02T09:00:00Z ERR Serve tunnel error error="timeout: no recent network activity" connIndex=0 event=0 ip=198.41.200.13',
      '2024-09-02T09:00:00Z ERR Connection terminated error="timeout: no recent network activity" connIndex=2',
      '2024-09-02T09:00:01Z INF Unregistered tunnel connection connIndex=1 event=0 ip=198.41.192.107',
    ];
    expect(lines.map(parseLogLine)).toEqual([
      { kind: 'disconnected', connIndex: 0 },
      { kind: 'disconnected', connIndex: 0 },
      { kind: 'disconnected', connIndex: 2 },
      { kind: 'disconnected', connIndex: 1 },
    ]);
  });

  it('turns errors into short human messages, fatal when only the person can fix them', () => {
    expect(
      parseLogLine(
        '2024-09-02T09:10:00Z ERR Register tunnel error from server side error="Unauthorized: Tunnel not found" connIndex=0 event=0 ip=198.41.200.13',
      ),
    ).toEqual({
      kind: 'error',
      message: 'Register tunnel error from server side: Unauthorized: Tunnel not found',
      fatal: true,
    });
    expect(parseLogLine('Provided Tunnel token is not valid.')).toEqual({
      kind: 'error',
      message: 'Provided Tunnel token is not valid.',
      fatal: true,
    });
    expect(
      parseLogLine(
        '2024-09-02T09:11:00Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 127.0.0.1:4100: connect: connection refused" connIndex=0 dest=https://x.trycloudflare.com/mcp event=1 ip=198.41.200.13 type=http',
      ),
    ).toMatchObject({
      kind: 'error',
      fatal: false,
      message: expect.stringMatching(/^Unable to reach the origin service/),
    });
    expect(
      parseLogLine(
        'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: i/o timeout',
      ),
    ).toMatchObject({ kind: 'error', fatal: false });
  });

  it('ignores noise, colours and URLs outside the box', () => {
    expect(
      parseLogLine(
        '2024-09-02T09:00:01Z INF Retrying connection in up to 1s connIndex=0 event=0 ip=198.41.200.13',
      ),
    ).toBeNull();
    expect(
      parseLogLine('2024-09-02T09:00:01Z INF Initiating graceful shutdown due to signal terminated ...'),
    ).toBeNull();
    expect(parseLogLine('2024-09-02T09:00:01Z WRN see https://old-one.trycloudflare.com/path')).toBeNull();
    expect(parseLogLine('')).toBeNull();
    const esc = String.fromCharCode(27);
    expect(
      parseLogLine(
        `${esc}[90m2024-09-02T08:14:03Z${esc}[0m ${esc}[32mINF${esc}[0m |  https://a-b-c-d.trycloudflare.com  |`,
      ),
    ).toEqual({ kind: 'url', url: 'https://a-b-c-d.trycloudflare.com' });
  });
});
