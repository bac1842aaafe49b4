import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogFile } from './log.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openLogFile', () => {
  it('appends timestamped lines, echoes them, flushes on close', async () => {
    const file = path.join(dir, 'logs', 'porthole.log');
    const echoed: string[] = [];
    const log = openLogFile(file, { echo: (l) => echoed.push(l) });
    log.line('started');
    log.line('tunnel: connected');
    await log.close();
    log.line('after close');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z started$/);
    expect(echoed).toHaveLength(3);
  });

  it('prints no control character a client sent (ESC, CSI, line breaks)', async () => {
    const file = path.join(dir, 'porthole.log');
    const echoed: string[] = [];
    const log = openLogFile(file, { echo: (l) => echoed.push(l) });
    log.line('http: refused GET /: Origin "http://x\x1b[2J\x9b31m\nfake line" is not allowed');
    await log.close();
    const written = await readFile(file, 'utf8');
    for (const text of [echoed[0] ?? '', written.trimEnd()]) {
      expect(text).not.toMatch(/\p{Cc}/u);
      expect(text).toContain('Origin "http://x[2J31m fake line" is not allowed');
    }
  });

  it('keeps one older file when the log grew too big', async () => {
    const file = path.join(dir, 'porthole.log');
    await writeFile(file, 'x'.repeat(100));
    const log = openLogFile(file, { maxBytes: 50, echo: () => {} });
    log.line('fresh');
    await log.close();
    expect(await readFile(`${file}.1`, 'utf8')).toBe('x'.repeat(100));
    expect(await readFile(file, 'utf8')).toMatch(/ fresh\n$/);
  });
});
