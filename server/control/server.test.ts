import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_METHODS } from '../api.ts';
import { createControlClient } from './client.ts';
import { type ControlServer, startControlServer } from './server.ts';
import { activityEntry, createFakeControl, type FakeControl, folderStatus, rawRequest } from './testing.ts';

const TOKEN = 'test-token-0123456789abcdef';

let fake: FakeControl;
let server: ControlServer;
let logs: string[];

beforeEach(async () => {
  fake = createFakeControl();
  logs = [];
  server = await startControlServer({
    api: fake.api,
    subscribe: fake.subscribe,
    token: TOKEN,
    log: (line) => logs.push(line),
  });
});

afterEach(async () => {
  await server.close();
});

const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(server.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('startControlServer', () => {
  it('listens on 127.0.0.1 and puts the token in the fragment of the dashboard URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.dashboardUrl).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`);
    expect(server.token).toBe(TOKEN);
  });

  it('makes a long random token when none is given', async () => {
    const other = await startControlServer({ api: fake.api, subscribe: fake.subscribe });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(TOKEN);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('refuses a token that cannot travel in a header or a fragment', async () => {
    await expect(
      startControlServer({ api: fake.api, subscribe: fake.subscribe, token: 'short' }),
    ).rejects.toThrow(/control token/);
  });
});

describe('every ControlApi method through the client', () => {
  it('round-trips arguments and results', async () => {
    const client = createControlClient({ baseUrl: `${server.url}/`, token: TOKEN });

    expect(await client.getState()).toEqual(fake.state);
    expect(await client.listActivity()).toEqual(fake.activity);
    expect(await client.listActivity({ limit: 2 })).toEqual(fake.activity.slice(-2));
    expect(await client.listActivity(undefined)).toHaveLength(3);
    expect(
      (await client.exportActivity())
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(fake.activity);
    expect(await client.addFolder('/home/me/Notes')).toEqual(folderStatus('f1', '/home/me/Notes'));
    expect(await client.reindexFolder('f1')).toBeUndefined();
    expect(await client.removeFolder('f1')).toBeUndefined();
    expect(await client.setPaused(true)).toBeUndefined();
    expect(fake.state.paused).toBe(true);
    expect(await client.beginOwnerSignIn()).toEqual({ url: 'http://127.0.0.1:1/oauth/github/start' });
    await client.setGitHubApp({
      clientId: 'Iv1.abc',
      clientSecret: 's3cret',
      webUrl: 'https://ghe.example.com',
    });
    expect(await client.beginGitHubAppSetup({ organization: 'octo-org' })).toEqual({
      url: 'http://127.0.0.1:1/github-app/new?start=x',
    });
    await client.setTunnel({ mode: 'named', hostname: 'docs.example.com', token: null });
    expect(await client.listClients()).toEqual(fake.clients);
    await client.revokeClient('https://chatgpt.com/oauth/client.json');
    expect(await client.listClients()).toEqual([]);
    await client.setAutoUpdate(false);
    expect((await client.getState()).autoUpdate).toBe(false);
    await client.setTokenLifetimes({ accessTokenSeconds: 3600, refreshTokenSeconds: 86_400 });
    expect(await client.revokeAllClients()).toBe(0);

    expect(fake.calls).toEqual([
      { method: 'getState', args: [] },
      { method: 'listActivity', args: [] },
      { method: 'listActivity', args: [{ limit: 2 }] },
      { method: 'listActivity', args: [] },
      { method: 'exportActivity', args: [] },
      { method: 'addFolder', args: ['/home/me/Notes'] },
      { method: 'reindexFolder', args: ['f1'] },
      { method: 'removeFolder', args: ['f1'] },
      { method: 'setPaused', args: [true] },
      { method: 'beginOwnerSignIn', args: [] },
      {
        method: 'setGitHubApp',
        args: [{ clientId: 'Iv1.abc', clientSecret: 's3cret', webUrl: 'https://ghe.example.com' }],
      },
      { method: 'beginGitHubAppSetup', args: [{ organization: 'octo-org' }] },
      { method: 'setTunnel', args: [{ mode: 'named', hostname: 'docs.example.com', token: null }] },
      { method: 'listClients', args: [] },
      { method: 'revokeClient', args: ['https://chatgpt.com/oauth/client.json'] },
      { method: 'listClients', args: [] },
      { method: 'setAutoUpdate', args: [false] },
      { method: 'getState', args: [] },
      { method: 'setTokenLifetimes', args: [{ accessTokenSeconds: 3600, refreshTokenSeconds: 86_400 }] },
      { method: 'revokeAllClients', args: [] },
    ]);
    expect(new Set(fake.calls.map((c) => c.method))).toEqual(new Set(CONTROL_METHODS));
  });

  it('throws the message of a failing method, and the server answers 400', async () => {
    const client = createControlClient({ baseUrl: server.url, token: TOKEN });
    await expect(client.addFolder('relative/path')).rejects.toMatchObject({
      name: 'ControlRequestError',
      status: 400,
      message: '"relative/path" is not an absolute path: choose a folder.',
    });
    fake.failures.set('getState', 'The index is being rebuilt.');
    const res = await post('getState', { args: [] });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: { message: 'The index is being rebuilt.' } });
  });

  it('throws the server message for a wrong token', async () => {
    const client = createControlClient({ baseUrl: server.url, token: 'wrong-token-0123456789' });
    await expect(client.getState()).rejects.toMatchObject({ status: 401, message: /token is wrong/ });
  });
});

describe('token', () => {
  it('answers 401 without a token, with a wrong one, and with another scheme, and logs no token', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, 'Bearer ', `Basic ${TOKEN}`, TOKEN]) {
      const res = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/getState',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json()).toEqual({ error: { message: expect.any(String) } });
    }
    const events = await rawRequest(server.port, { path: '/api/events' });
    expect(events.status).toBe(401);
    expect(fake.calls).toEqual([]);
    expect(logs).toHaveLength(6);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('accepts the scheme in any case', async () => {
    const res = await post('getState', { args: [] }, { authorization: `bearer ${TOKEN}` });
    expect(res.status).toBe(200);
  });
});

describe('Host and Origin', () => {
  it('accepts 127.0.0.1 and localhost with our port, and matching origins', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
      const res = await post('getState', { args: [] }, { host, origin: `http://${host.toLowerCase()}` });
      expect(res.status, host).toBe(200);
    }
  });

  it('answers 403 for a foreign Host, even with the right token', async () => {
    for (const host of [
      'evil.example:80',
      `evil.example:${server.port}`,
      '127.0.0.1',
      `127.0.0.1:${server.port + 1}`,
    ]) {
      const res = await post('getState', { args: [] }, { host });
      expect(res.status, host).toBe(403);
      expect(res.json()).toEqual({ error: { message: expect.stringContaining('Host') } });
    }
    const page = await rawRequest(server.port, { path: '/', headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
    expect(fake.calls).toEqual([]);
  });

  it('answers 403 for a foreign Origin', async () => {
    for (const origin of [
      'https://evil.example',
      `https://127.0.0.1:${server.port}`,
      `http://127.0.0.1:${server.port + 1}`,
      'null',
    ]) {
      const res = await post('getState', { args: [] }, { origin });
      expect(res.status, origin).toBe(403);
      expect(res.json()).toEqual({ error: { message: expect.stringContaining('Origin') } });
    }
    expect(fake.calls).toEqual([]);
    expect(logs.every((line) => line.startsWith('control: refused'))).toBe(true);
  });
});

describe('requests', () => {
  it.each([
    ['addFolder', [], /args: Too small/],
    ['addFolder', [''], /args\[0\]: must not be empty/],
    ['addFolder', [42], /args\[0\]: Invalid input: expected string/],
    ['setPaused', ['yes'], /args\[0\]: Invalid input: expected boolean/],
    ['listActivity', [{ limit: 0 }], /args\[0\]\.limit: Too small/],
    ['listActivity', [{ limit: 1.5 }], /args\[0\]\.limit/],
    ['listActivity', [{ limit: 20_000 }], /args\[0\]\.limit: Too big/],
    ['setGitHubApp', [{ clientId: 'x' }], /args\[0\]\.clientSecret/],
    ['beginGitHubAppSetup', [{ organization: '../settings' }], /args\[0\]\.organization/],
    ['setGitHubApp', [{ clientId: 'x', clientSecret: 'y', webUrl: 'ftp://x' }], /args\[0\]\.webUrl/],
    ['setTunnel', [{ mode: 'always' }], /args\[0\]\.mode: Invalid option/],
    ['setTunnel', [{ mode: 'off', extra: 1 }], /Unrecognized key: "extra"/],
    ['revokeClient', [null], /args\[0\]/],
    ['setAutoUpdate', ['yes'], /args\[0\]/],
    [
      'setTokenLifetimes',
      [{ accessTokenSeconds: 60, refreshTokenSeconds: 86_400 }],
      /args\[0\]\.accessTokenSeconds: must be at least 3600/,
    ],
    ['setTokenLifetimes', [{ accessTokenSeconds: 3600 }], /args\[0\]\.refreshTokenSeconds/],
    ['getState', [1], /getState\(\): args: Too big/],
  ])('answers 400 for %s(%j)', async (method, args, message) => {
    const res = await post(method, { args });
    expect(res.status).toBe(400);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(message);
    expect(fake.calls).toEqual([]);
  });

  it('never echoes an argument value in the message (it may be a secret)', async () => {
    const res = await post('setGitHubApp', { args: [{ clientId: 'x', clientSecret: 12345678 }] });
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('12345678');
  });

  it('answers 400 for a body that is not { args: [...] } or not JSON', async () => {
    for (const body of ['{"args": "x"}', '[]', '"x"', '{"args": [', 'not json']) {
      const res = await post('getState', body);
      expect(res.status, body).toBe(400);
      expect(res.json()).toEqual({ error: { message: expect.any(String) } });
    }
  });

  it('treats a missing body as no arguments, and refuses a body that is not JSON by type', async () => {
    const empty = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/listClients',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(empty.status).toBe(200);
    expect(empty.json()).toEqual({ result: fake.clients });
    const text = await post('getState', '{"args":[]}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  it('answers 404 for an unknown method, 405 for GET on a method', async () => {
    for (const name of ['nope', 'toString', '__proto__', 'constructor', 'getState/extra']) {
      const res = await post(name, { args: [] });
      expect(res.status, name).toBe(404);
      expect(res.json()).toEqual({ error: { message: expect.any(String) } });
    }
    const get = await rawRequest(server.port, {
      path: '/api/getState',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const postEvents = await post('events', { args: [] });
    expect(postEvents.status).toBe(405);
    expect(postEvents.headers.allow).toBe('GET');
  });

  it('answers 413 for a body over 64 kB', async () => {
    const res = await post('addFolder', { args: ['/'.repeat(70 * 1024)] });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ error: { message: expect.stringContaining('64 kB') } });
    expect(fake.calls).toEqual([]);
  });

  it('answers null for void, and keeps serving after errors', async () => {
    await post('nope', { args: [] });
    await post('getState', '{');
    const res = await post('setPaused', { args: [false] });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ result: null });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('passes on activity entries untouched', async () => {
    fake.activity = [activityEntry(7)];
    const res = await post('listActivity', { args: [{}] });
    expect(res.json()).toEqual({ result: [activityEntry(7)] });
  });
});
