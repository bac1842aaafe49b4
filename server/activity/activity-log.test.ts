import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../api.ts';
import { ActivityLog } from './activity-log.ts';
import type { ActivityInput } from './entry.ts';
import { REDACTED } from './sanitize.ts';

const call = (summary: string, extra: Partial<ActivityInput> = {}): ActivityInput => ({
  kind: 'mcp',
  client: { id: 'c1', name: 'ChatGPT' },
  login: 'octocat',
  method: 'tools/call',
  tool: 'search',
  summary,
  outcome: { ok: true, results: 3 },
  latencyMs: 12.34,
  ...extra,
});

const memoryLog = (capacity?: number) =>
  new ActivityLog({ dir: null, capacity, now: () => new Date('2025-06-01T12:00:00Z') });

describe('ActivityLog in memory', () => {
  it('numbers entries, stamps the time and returns them newest first', () => {
    const log = memoryLog();
    const a = log.record(call('first'));
    const b = log.record(call('second', { time: '2025-01-02T03:04:05+01:00' }));
    expect(a).toMatchObject({ seq: 1, time: '2025-06-01T12:00:00.000Z', summary: 'first', latencyMs: 12.3 });
    expect(b).toMatchObject({ seq: 2, time: '2025-01-02T02:04:05.000Z' });
    expect(log.recent()).toEqual([b, a]);
    expect(log.recent(1)).toEqual([b]);
    expect(log.recent(0)).toEqual([]);
    expect(log.recent(Number.NaN)).toEqual([b, a]);
  });

  it('keeps only the last `capacity` entries, in order, across many wraps', () => {
    const log = memoryLog(5);
    for (let i = 1; i <= 23; i++) log.record(call(`q${i}`));
    expect(log.recent().map((e) => e.summary)).toEqual(['q23', 'q22', 'q21', 'q20', 'q19']);
    expect(log.recent(100)).toHaveLength(5);
    expect(log.recent(2).map((e) => e.seq)).toEqual([23, 22]);
  });

  it('tells subscribers about each entry until they unsubscribe', () => {
    const log = memoryLog();
    const seen: ActivityEntry[] = [];
    const off = log.subscribe((e) => seen.push(e));
    const first = log.record(call('one'));
    off();
    log.record(call('two'));
    expect(seen).toEqual([first]);
    off(); // idempotent
  });

  it('keeps recording and notifying when a subscriber throws', () => {
    const log = memoryLog();
    const seen: string[] = [];
    log.subscribe(() => {
      throw new Error('broken UI');
    });
    log.subscribe((e) => seen.push(e.summary));
    expect(() => log.record(call('one'))).not.toThrow();
    log.record(call('two'));
    expect(seen).toEqual(['one', 'two']);
    expect(log.recent()).toHaveLength(2);
  });

  it('lets a listener unsubscribe itself while being notified', () => {
    const log = memoryLog();
    const seen: string[] = [];
    const off = log.subscribe(() => off());
    log.subscribe((e) => seen.push(e.summary));
    log.record(call('one'));
    log.record(call('two'));
    expect(seen).toEqual(['one', 'two']);
  });

  it('sanitizes every field and keeps nothing outside the contract', () => {
    const log = memoryLog();
    const input = {
      ...call(`q\nBearer ${'s3cr3t'.repeat(5)}`),
      client: { id: 'cid\u0000', name: `N${'n'.repeat(300)}`, secret: 'x' },
      login: 'octo\ncat',
      outcome: { ok: false as const, error: `boom ${'e'.repeat(500)}\nstack` },
      latencyMs: -5,
      arguments: { query: 'q', contents: 'whole document' },
    };
    const entry = log.record(input);
    expect(entry.summary).toBe(`q Bearer ${REDACTED}`);
    expect(entry.client).toEqual({ id: 'cid', name: expect.stringMatching(/^Nn+…$/) });
    expect(entry.client?.name?.length).toBe(100);
    expect(entry.login).toBe('octo cat');
    expect(entry.outcome.ok).toBe(false);
    expect(!entry.outcome.ok && entry.outcome.error.length).toBe(300);
    expect(entry.latencyMs).toBeNull();
    expect(Object.keys(entry).sort()).toEqual(
      ['client', 'kind', 'latencyMs', 'login', 'method', 'outcome', 'seq', 'summary', 'time', 'tool'].sort(),
    );
    expect(JSON.stringify(entry)).not.toContain('whole document');
  });

  it('keeps only numeric results and bytes in a success outcome', () => {
    const log = memoryLog();
    const entry = log.record(call('x', { outcome: { ok: true, results: 2, bytes: Number.NaN } }));
    expect(entry.outcome).toEqual({ ok: true, results: 2 });
    const empty = log.record(call('x', { client: { id: '', name: null }, tool: null }));
    expect(empty.client).toBeNull();
    expect(empty.tool).toBeNull();
  });

  it('hands out frozen entries, so one listener cannot change what others see', () => {
    const log = memoryLog();
    log.subscribe((e) => {
      expect(() => {
        (e as { summary: string }).summary = 'changed';
      }).toThrow(TypeError);
    });
    log.record(call('original'));
    expect(log.recent()[0]?.summary).toBe('original');
  });

  it('flush and close are harmless without a directory', async () => {
    const log = memoryLog();
    log.record(call('x'));
    await log.flush();
    await log.close();
    expect(log.record(call('after')).seq).toBe(2);
  });
});
