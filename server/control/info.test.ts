import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_INFO_FILE, readControlInfo, removeControlInfo, writeControlInfo } from './info.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-control-info-'));
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const info = { url: 'http://127.0.0.1:4123', port: 4123, token: 'abc_DEF-123', pid: process.pid };

describe('control.json', () => {
  it('is written 0600 and read back', () => {
    writeControlInfo(dataDir, info);
    const file = path.join(dataDir, CONTROL_INFO_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readControlInfo(dataDir)).toEqual(info);
    expect(fs.readdirSync(dataDir)).toEqual([CONTROL_INFO_FILE]);
  });

  it('creates the data dir when missing', () => {
    const nested = path.join(dataDir, 'a', 'b');
    writeControlInfo(nested, info);
    expect(readControlInfo(nested)).toEqual(info);
  });

  it('reads null when the process is gone', () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    expect(exited.status).toBe(0);
    writeControlInfo(dataDir, { ...info, pid: exited.pid });
    expect(readControlInfo(dataDir)).toBeNull();
  });

  it('reads null when missing or corrupt', () => {
    expect(readControlInfo(dataDir)).toBeNull();
    const file = path.join(dataDir, CONTROL_INFO_FILE);
    fs.writeFileSync(file, '{"url": "http://127.0.0.1:1"');
    expect(readControlInfo(dataDir)).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ ...info, port: 'x' }));
    expect(readControlInfo(dataDir)).toBeNull();
  });

  it('refuses to write nonsense', () => {
    expect(() => writeControlInfo(dataDir, { ...info, port: 0 })).toThrow();
    expect(readControlInfo(dataDir)).toBeNull();
  });

  it('is removed, only when it is ours if a pid is given', () => {
    writeControlInfo(dataDir, info);
    removeControlInfo(dataDir, process.pid + 1);
    expect(readControlInfo(dataDir)).toEqual(info);
    removeControlInfo(dataDir, process.pid);
    expect(readControlInfo(dataDir)).toBeNull();
    writeControlInfo(dataDir, info);
    removeControlInfo(dataDir);
    expect(fs.existsSync(path.join(dataDir, CONTROL_INFO_FILE))).toBe(false);
    removeControlInfo(dataDir);
  });
});
