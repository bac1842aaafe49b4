import { describe, expect, it } from 'vitest';
import { normalizeHostname } from './hostname.ts';

const label = (length: number) => 'a'.repeat(length);

describe('normalizeHostname', () => {
  it('keeps a plain hostname as it is', () => {
    expect(normalizeHostname('porthole.example.com')).toBe('porthole.example.com');
  });

  it('accepts a hostname however it was pasted: scheme, path, trailing slash, port 443, case, spaces', () => {
    expect(normalizeHostname('https://porthole.example.com')).toBe('porthole.example.com');
    expect(normalizeHostname('porthole.example.com/')).toBe('porthole.example.com');
    expect(normalizeHostname(' https://Porthole.Example.COM/mcp ')).toBe('porthole.example.com');
    expect(normalizeHostname('porthole.example.com:443')).toBe('porthole.example.com');
    expect(normalizeHostname('PORTHOLE.EXAMPLE.COM')).toBe('porthole.example.com');
  });

  it('allows labels of 63 characters and refuses one of 64', () => {
    expect(normalizeHostname(`${label(63)}.example.com`)).toBe(`${label(63)}.example.com`);
    expect(normalizeHostname(`${label(64)}.example.com`)).toBeNull();
  });

  it('allows 253 characters in all and refuses more', () => {
    // Four labels within the limit, then the one that decides: 3 × 63 + 57 + "com" + 4 dots = 253.
    const name = (last: number) => [label(63), label(63), label(63), label(last), 'com'].join('.');
    expect(name(57)).toHaveLength(253);
    expect(normalizeHostname(name(57))).toBe(name(57));
    expect(name(58)).toHaveLength(254);
    expect(normalizeHostname(name(58))).toBeNull();
  });

  it('refuses IP literals: a named tunnel is routed to a hostname', () => {
    for (const ip of ['192.168.1.10', 'https://127.0.0.1/', '[::1]', '::1', '10.0.0.1:443']) {
      expect(normalizeHostname(ip), ip).toBeNull();
    }
  });

  it('refuses what is empty or not a hostname', () => {
    for (const bad of [
      '',
      '   ',
      null,
      undefined,
      'localhost',
      'exa mple.com',
      'http://',
      'https:///',
      '-bad.example.com',
      'bad-.example.com',
      'a..b',
      'example.com.',
      'example.com:8443',
      'user@example.com',
      'ftp://example.com',
    ]) {
      expect(normalizeHostname(bad), String(bad)).toBeNull();
    }
  });
});
