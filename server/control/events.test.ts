import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectorEvent } from '../api.ts';
import { createControlClient } from './client.ts';
import { type ControlServer, startControlServer } from './server.ts';
import { activityEntry, createFakeControl, type FakeControl, folderStatus } from './testing.ts';

const TOKEN = 'events-token-0123456789abcdef';

let server: ControlServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(fake: FakeControl, pingMs?: number) {
  server = await startControlServer({ api: fake.api, subscribe: fake.subscribe, token: TOKEN, pingMs });
  return createControlClient({ baseUrl: server.url, token: TOKEN });
}

describe('GET /api/events', () => {
  it('sends a state snapshot first, then live events in order, and unsubscribes when the client aborts', async () => {
    const fake = createFakeControl();
    const client = await start(fake);
    const abort = new AbortController();
    const received: ConnectorEvent[] = [];
    const iterator = client.events(abort.signal)[Symbol.asyncIterator]();

    const first = await iterator.next();
    expect(first.value).toEqual({ type: 'state', state: fake.state });
    expect(fake.listenerCount()).toBe(1);

    const sent: ConnectorEvent[] = [
      { type: 'activity', entry: activityEntry(10) },
      { type: 'folder', status: folderStatus('f1', '/data') },
      { type: 'activity', entry: activityEntry(11) },
      { type: 'state', state: { ...fake.state, paused: true } },
    ];
    for (const event of sent) fake.emit(event);
    for (let i = 0; i < sent.length; i++) received.push((await iterator.next()).value as ConnectorEvent);
    expect(received).toEqual(sent);

    const pending = iterator.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(0));
  });

  it('releases the subscription when the consumer stops reading', async () => {
    const fake = createFakeControl();
    const client = await start(fake);
    for await (const event of client.events()) {
      expect(event.type).toBe('state');
      break;
    }
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(0));
  });

  it('sends events that happen while the snapshot is taken right after it', async () => {
    const fake = createFakeControl();
    const getState = fake.api.getState;
    fake.api.getState = async () => {
      fake.emit({ type: 'activity', entry: activityEntry(1) });
      return getState();
    };
    const client = await start(fake);
    const abort = new AbortController();
    const iterator = client.events(abort.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'state' });
    expect((await iterator.next()).value).toEqual({ type: 'activity', entry: activityEntry(1) });
    abort.abort();
  });

  it('sends ping comments, as text/event-stream', async () => {
    const fake = createFakeControl();
    await start(fake, 5);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        `${server?.url}/api/events`,
        { headers: { authorization: `Bearer ${TOKEN}` } },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    let text = '';
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes(': ping\n\n')) resolve();
      });
    });
    expect(text.startsWith('data: {"type":"state",')).toBe(true);
    res.destroy();
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(0));
  });

  it('ends open streams on close()', async () => {
    const fake = createFakeControl();
    const client = await start(fake);
    const iterator = client.events()[Symbol.asyncIterator]();
    await iterator.next();
    await server?.close();
    server = null;
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(fake.listenerCount()).toBe(0);
  });

  it('answers an error, not a stream, when the state cannot be read', async () => {
    const fake = createFakeControl();
    fake.failures.set('getState', 'The settings file is corrupt.');
    const client = await start(fake);
    await expect(client.events()[Symbol.asyncIterator]().next()).rejects.toThrow(
      'Could not read the connector state: The settings file is corrupt.',
    );
    expect(fake.listenerCount()).toBe(0);
  });
});
