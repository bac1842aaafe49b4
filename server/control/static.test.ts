import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './guards.ts';
import { type ControlServer, startControlServer } from './server.ts';
import { safeRelativePath } from './static.ts';
import { createFakeControl, rawRequest } from './testing.ts';

let tmp: string;
let dist: string;
let server: ControlServer | null = null;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-control-static-'));
  dist = path.join(tmp, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><title>Porthole</title><div id="root"></div>',
  );
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("dashboard");');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dist, 'link.txt'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(staticDir: string | null) {
  const fake = createFakeControl();
  server = await startControlServer({ api: fake.api, subscribe: fake.subscribe, staticDir });
  return server;
}

describe('static dashboard', () => {
  it('serves index.html at / without a token, with the strict headers', async () => {
    const { port } = await start(dist);
    const res = await rawRequest(port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; " +
        "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves assets with their type and a long cache', async () => {
    const { port } = await start(dist);
    const res = await rawRequest(port, { path: '/assets/index-abc123.js' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toBe('console.log("dashboard");');
  });

  it('answers index.html for unknown paths (client-side routes), but not for /api', async () => {
    const { port } = await start(dist);
    for (const p of ['/folders', '/activity/123', '/assets/', '/index.html?x=1']) {
      const res = await rawRequest(port, { path: p });
      expect(res.status, p).toBe(200);
      expect(res.body, p).toContain('<div id="root">');
    }
    const api = await rawRequest(port, { path: '/api/nope' });
    expect(api.status).toBe(401);
    const head = await rawRequest(port, { method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    const post = await rawRequest(port, { method: 'POST', path: '/' });
    expect(post.status).toBe(405);
  });

  it('never serves a file outside the folder', async () => {
    const { port } = await start(dist);
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await rawRequest(port, { path: p });
      expect(res.status, p).toBe(400);
      expect(res.body, p).not.toContain('TOP SECRET');
    }
    const link = await rawRequest(port, { path: '/link.txt' });
    expect(link.body).not.toContain('TOP SECRET');
    expect(link.body).toContain('<div id="root">');
  });

  it('without a built dashboard, says how to build it', async () => {
    const { port } = await start(null);
    const res = await rawRequest(port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:renderer');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await rawRequest(port, { path: '/other' })).status).toBe(404);
  });
});

describe('safeRelativePath', () => {
  it('keeps paths inside and refuses the rest', () => {
    expect(safeRelativePath('/')).toBe('');
    expect(safeRelativePath('/assets/a%20b.js')).toBe('assets/a b.js');
    expect(safeRelativePath('/./assets//x.js')).toBe('assets/x.js');
    expect(safeRelativePath('/a/../b')).toBeNull();
    expect(safeRelativePath('/C:/Windows')).toBeNull();
    expect(safeRelativePath('/%zz')).toBeNull();
  });
});
