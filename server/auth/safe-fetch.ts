import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// The fetch oidc-provider uses for Client ID Metadata Documents and their jwks_uri. Anyone
// can name any URL as their client id, so this is a server-side request on a stranger's
// behalf: https only, a public address only (checked on the address actually connected
// to, inside the socket's DNS lookup, so a rebinding name cannot slip through between a
// check and the connection), a time limit and a size limit.

const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5000;

/** Private, loopback, link-local, shared, documentation, multicast and reserved ranges. */
const SPECIAL_USE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  SPECIAL_USE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL_USE.addSubnet(net, prefix, 'ipv6');

export function isSpecialUseAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return SPECIAL_USE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return SPECIAL_USE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

export interface SafeFetchOptions {
  /** Tests only: a certificate to trust, and loopback allowed. */
  ca?: string;
  allowLoopback?: boolean;
}

export function createSafeFetch(options: SafeFetchOptions = {}): typeof fetch {
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const usable = list.filter(
        (a) => !isSpecialUseAddress(a.address) || (options.allowLoopback && isLoopback(a.address)),
      );
      const first = usable[0];
      if (!first) {
        const shown = list.map((a) => a.address).join(', ');
        return callback(
          new RefusedAddressError(`${hostname} resolves to a private or special-use address (${shown})`),
          '',
          4,
        );
      }
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, first.address, first.family);
    });
  };

  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.protocol !== 'https:')
      throw new RefusedAddressError(`${url.protocol} is not allowed; https only`);
    if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && !options.allowLoopback)
      throw new RefusedAddressError('an IP address is not allowed as a client id host');
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        { method: init?.method ?? 'GET', headers, lookup, ca: options.ca, timeout: TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BYTES) {
              req.destroy(new Error(`response larger than ${MAX_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers: out }));
          });
        },
      );
      init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
  }) as typeof fetch;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}
