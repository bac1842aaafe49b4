import { describe, expect, it } from 'vitest';
import { parseMcpBenchArgs } from './mcp-args.ts';

describe('bench:mcp arguments', () => {
  it('has defaults and reads every option', () => {
    expect(parseMcpBenchArgs([])).toEqual({
      files: 10_000,
      clients: 16,
      seconds: 10,
      seed: 1,
      targetUrl: null,
      json: false,
    });
    expect(
      parseMcpBenchArgs([
        '--files',
        '2_000',
        '--clients',
        '64',
        '--seconds',
        '3',
        '--seed',
        '7',
        '--target-url',
        'http://127.0.0.1:8765/mcp',
        '--json',
      ]),
    ).toEqual({
      files: 2000,
      clients: 64,
      seconds: 3,
      seed: 7,
      targetUrl: 'http://127.0.0.1:8765/mcp',
      json: true,
    });
    expect(parseMcpBenchArgs(['--help'])).toBe('help');
  });

  it('points a bare base URL at /mcp and keeps any other path', () => {
    expect(parseMcpBenchArgs(['--target-url', 'http://127.0.0.1:8765'])).toMatchObject({
      targetUrl: 'http://127.0.0.1:8765/mcp',
    });
    expect(parseMcpBenchArgs(['--target-url', 'https://x.trycloudflare.com/other'])).toMatchObject({
      targetUrl: 'https://x.trycloudflare.com/other',
    });
  });

  it('refuses nonsense with a clear message', () => {
    expect(() => parseMcpBenchArgs(['--clients', '0'])).toThrow(/--clients must be a positive whole number/);
    expect(() => parseMcpBenchArgs(['--seconds', '1.5'])).toThrow(/--seconds/);
    expect(() => parseMcpBenchArgs(['--target-url', 'not a url'])).toThrow(/--target-url must be a URL/);
    expect(() => parseMcpBenchArgs(['--target-url', 'ftp://host/mcp'])).toThrow(/http or https/);
    expect(() => parseMcpBenchArgs(['--queries', '5'])).toThrow();
  });
});
