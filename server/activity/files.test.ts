import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActivityLog, type ActivityLogOptions } from './activity-log.ts';
import type { ActivityInput } from './entry.ts';
import { loadRecent } from './history.ts';

let root: string;
let dir: string;
const open: ActivityLog[] = [];

const call = (summary: string): ActivityInput => ({
  kind: 'mcp',
  client: { id: 'c1', name: 'ChatGPT' },
  login: 'octocat',
  method: 'tools/call',
  tool: 'fetch',
  summary,
  outcome: { ok: true, bytes: 1024 },
  latencyMs: 3,
});
const makeLog = (options: Partial<ActivityLogOptions> = {}) => {
  const log = new ActivityLog({ dir, ...options });
  open.push(log);
  return log;
};
const readLines = (name: string) =>
  fs
    .readFileSync(path.join(dir, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
const files = () => fs.readdirSync(dir).sort();

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-activity-'));
  dir = path.join(root, 'data', 'activity');
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const log of open.splice(0)) await log.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('ActivityLog files', () => {
  it('writes one JSON object per line, exactly the entries, into a private dir', async () => {
    const log = makeLog();
    const a = log.record(call('first'));
    const b = log.record({ ...call('second'), outcome: { ok: false, error: 'not found' } });
    await log.flush();
    expect(files()).toEqual(['activity.jsonl']);
    expect(readLines('activity.jsonl')).toEqual([a, b]);
    if (process.platform !== 'win32') {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, 'activity.jsonl')).mode & 0o777).toBe(0o600);
    }
  });

  it('rotates by size and keeps at most maxFiles files, oldest deleted', async () => {
    const log = makeLog({ maxFileBytes: 1000, maxFiles: 3 });
    for (let i = 0; i < 60; i++) {
      log.record(call(`query number ${i}`));
      if (i % 7 === 0) await log.flush(); // mix small and large batches
    }
    await log.flush();
    expect(files()).toEqual(['activity.1.jsonl', 'activity.2.jsonl', 'activity.jsonl']);
    for (const name of files()) expect(fs.statSync(path.join(dir, name)).size).toBeLessThanOrEqual(1000);
    const kept = [
      ...readLines('activity.2.jsonl'),
      ...readLines('activity.1.jsonl'),
      ...readLines('activity.jsonl'),
    ];
    const seqs = kept.map((e) => e.seq);
    expect(seqs.at(-1)).toBe(60);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i)); // contiguous: nothing lost or reordered
    expect(seqs[0]).toBeGreaterThan(1); // the oldest were rotated away
  });

  it('continues seq after a restart and seeds the ring with the history', async () => {
    const first = makeLog();
    for (let i = 1; i <= 5; i++) first.record(call(`q${i}`));
    await first.close();

    const second = makeLog({ capacity: 3 });
    expect(second.recent().map((e) => e.summary)).toEqual(['q5', 'q4', 'q3']);
    expect(second.record(call('q6')).seq).toBe(6);
    expect(second.recent().map((e) => e.seq)).toEqual([6, 5, 4]);
  });

  it('continues seq from the rotated file when the current one is empty', async () => {
    const first = makeLog();
    for (let i = 1; i <= 4; i++) first.record(call(`q${i}`));
    await first.close();
    // As if the app stopped right after a rotation.
    fs.renameSync(path.join(dir, 'activity.jsonl'), path.join(dir, 'activity.1.jsonl'));
    fs.writeFileSync(path.join(dir, 'activity.jsonl'), '');
    expect(makeLog().record(call('next')).seq).toBe(5);
  });

  it('skips torn and foreign lines and starts the next write on a fresh line', async () => {
    const first = makeLog();
    first.record(call('good'));
    await first.close();
    fs.appendFileSync(path.join(dir, 'activity.jsonl'), 'not json\n{"seq":"x"}\n{"seq":9,"time":"2025-01');
    const second = makeLog();
    expect(second.recent().map((e) => e.summary)).toEqual(['good']);
    second.record(call('after crash'));
    await second.flush();
    expect(loadRecent(dir, 10).map((e) => e.summary)).toEqual(['after crash', 'good']);
  });

  it('loadRecent reads newest first across rotated files, up to the limit', async () => {
    const log = makeLog({ maxFileBytes: 1000, maxFiles: 10 });
    for (let i = 1; i <= 20; i++) log.record(call(`q${i}`));
    await log.flush();
    expect(files().length).toBeGreaterThan(3);
    expect(loadRecent(dir, 7).map((e) => e.seq)).toEqual([20, 19, 18, 17, 16, 15, 14]);
    expect(loadRecent(dir, 100)).toHaveLength(20);
    expect(loadRecent(path.join(root, 'missing'), 5)).toEqual([]);
  });

  it('reports a write error once, never throws, keeps the ring, and recovers', async () => {
    const errors: Error[] = [];
    const log = makeLog({ onWriteError: (e) => errors.push(e) });
    log.record(call('saved'));
    await log.flush();
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, 'a file where the dir was');

    for (let i = 0; i < 3; i++) {
      expect(() => log.record(call(`lost ${i}`))).not.toThrow();
      await log.flush();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('Could not write the activity log');
    expect(log.recent()).toHaveLength(4);

    fs.rmSync(dir);
    log.record(call('back'));
    await log.flush();
    expect(readLines('activity.jsonl').map((e) => e.summary)).toEqual(['back']);
  });

  it('writes a burst of 10,000 records in order', async () => {
    const log = makeLog({ maxFileBytes: 1 << 30 });
    const appends = vi.spyOn(fs.promises, 'appendFile');
    for (let i = 1; i <= 10_000; i++) log.record(call(`query ${i}`));
    await log.flush();
    // Coalesced: one append for the whole synchronous burst, not one per record.
    expect(appends).toHaveBeenCalledTimes(1);
    const seqs = readLines('activity.jsonl').map((e) => e.seq);
    expect(seqs).toHaveLength(10_000);
    expect(seqs.every((s, i) => s === i + 1)).toBe(true);
  });

  it('flush waits for records made while a write is in flight', async () => {
    const log = makeLog();
    log.record(call('a'));
    const firstFlush = log.flush();
    log.record(call('b'));
    await firstFlush;
    await log.flush();
    expect(readLines('activity.jsonl').map((e) => e.summary)).toEqual(['a', 'b']);
  });
});

describe('what a window gets back, and what an export holds', () => {
  it('a reopened log hands back its last 10,000 entries, as many as the dashboard keeps', async () => {
    const first = makeLog();
    for (let i = 1; i <= 10_500; i++) first.record(call(`q${i}`));
    await first.close();
    const reopened = makeLog();
    const back = reopened.recent();
    expect(back).toHaveLength(10_000);
    expect(back[0]?.summary).toBe('q10500');
    expect(back.at(-1)?.summary).toBe('q501');
  });

  it('exports every entry still on disk, across rotated files, oldest first, skipping torn lines', async () => {
    const log = makeLog({ capacity: 10, maxFileBytes: 2_000, maxFiles: 50 });
    for (let i = 1; i <= 60; i++) log.record(call(`q${i}`));
    await log.flush();
    expect(files().length).toBeGreaterThan(3);
    fs.appendFileSync(path.join(dir, 'activity.jsonl'), '{"seq":99,"time":"torn');
    const exported = (await log.exportRetained())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).summary);
    // Far more than memory holds (10), and in order.
    expect(exported).toEqual(Array.from({ length: 60 }, (_, i) => `q${i + 1}`));
  });

  it('exports what it has in memory when it keeps no files', async () => {
    const log = new ActivityLog({ dir: null, capacity: 3 });
    for (let i = 1; i <= 5; i++) log.record(call(`q${i}`));
    const lines = (await log.exportRetained()).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).summary)).toEqual(['q3', 'q4', 'q5']);
  });
});
