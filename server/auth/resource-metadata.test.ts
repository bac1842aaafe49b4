import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountProtectedResourceMetadata, resourceMetadataUrl, resourcePathOf } from './resource-metadata.ts';

let server: Server;
let base: string;
let publicUrl = 'https://x.trycloudflare.com';

beforeAll(async () => {
  const app = express();
  mountProtectedResourceMetadata(app, {
    baseUrl: () => publicUrl,
    authorizationServer: () => publicUrl,
    scopes: ['mcp'],
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('protected resource metadata', () => {
  it('serves the same document at both well-known paths, uncached', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await fetch(base + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        resource: 'https://x.trycloudflare.com/mcp',
        authorization_servers: ['https://x.trycloudflare.com'],
        scopes_supported: ['mcp'],
        bearer_methods_supported: ['header'],
        resource_name: 'Porthole',
      });
    }
  });

  it('serves the legacy /sse transport as its own resource, so SDK clients on /sse accept it', async () => {
    const response = await fetch(`${base}/.well-known/oauth-protected-resource/sse`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      resource: 'https://x.trycloudflare.com/sse',
      authorization_servers: ['https://x.trycloudflare.com'],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'Porthole',
    });
  });

  it('follows the public URL when the tunnel changes', async () => {
    publicUrl = 'https://y.trycloudflare.com';
    for (const resource of ['mcp', 'sse']) {
      const body = (await (
        await fetch(`${base}/.well-known/oauth-protected-resource/${resource}`)
      ).json()) as {
        resource: string;
        authorization_servers: string[];
      };
      expect(body.resource).toBe(`https://y.trycloudflare.com/${resource}`);
      expect(body.authorization_servers).toEqual(['https://y.trycloudflare.com']);
    }
  });

  it('answers nothing under other suffixes', async () => {
    for (const suffix of ['messages', 'mcp/x', 'view']) {
      expect((await fetch(`${base}/.well-known/oauth-protected-resource/${suffix}`)).status).toBe(404);
    }
  });
});

describe('resourcePathOf', () => {
  it('puts /messages with /sse (one transport), and everything else with /mcp', () => {
    expect(resourcePathOf('/sse')).toBe('/sse');
    expect(resourcePathOf('/messages')).toBe('/sse');
    expect(resourcePathOf('/mcp')).toBe('/mcp');
  });
});

describe('resourceMetadataUrl', () => {
  it('inserts the well-known segment between host and path (RFC 9728 §3.1)', () => {
    expect(resourceMetadataUrl('https://x.trycloudflare.com/mcp')).toBe(
      'https://x.trycloudflare.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(resourceMetadataUrl('http://127.0.0.1:8123/mcp')).toBe(
      'http://127.0.0.1:8123/.well-known/oauth-protected-resource/mcp',
    );
    expect(resourceMetadataUrl('https://h.example/')).toBe(
      'https://h.example/.well-known/oauth-protected-resource',
    );
  });
});
