import { describe, expect, it } from 'vitest';
import { createSafeFetch, isSpecialUseAddress } from './safe-fetch.ts';

describe('isSpecialUseAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isSpecialUseAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '104.18.32.47', '172.32.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(isSpecialUseAddress(address)).toBe(false);
    },
  );
});

describe('createSafeFetch', () => {
  const safeFetch = createSafeFetch();

  it('refuses http', async () => {
    await expect(safeFetch('http://example.com/client.json')).rejects.toThrow(/https only/);
  });

  it('refuses an IP address as the host', async () => {
    await expect(safeFetch('https://127.0.0.1/client.json')).rejects.toThrow(/IP address is not allowed/);
    await expect(safeFetch('https://[::1]/client.json')).rejects.toThrow(/IP address is not allowed/);
  });

  it('refuses a name that resolves to loopback, at connection time', async () => {
    await expect(safeFetch('https://localhost:1/client.json')).rejects.toThrow(/private or special-use/);
  });
});
