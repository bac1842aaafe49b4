import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../fs-atomic.ts';

// control.json in the data dir: how `porthole status` finds a running headless Porthole. It holds
// the token, so it is written 0600, and only the owner of the data dir can read it.

export const CONTROL_INFO_FILE = 'control.json';

export interface ControlInfo {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  token: string;
  pid: number;
}

/**
 * The file's shape, checked by hand rather than with zod: `porthole status` reads this file and
 * should answer in about the time Node starts, and loading zod alone takes longer than the rest.
 */
function parseControlInfo(value: unknown): ControlInfo {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { url, port, token, pid } = v;
  const ok =
    typeof url === 'string' &&
    URL.parse(url)?.protocol === 'http:' &&
    Number.isInteger(port) &&
    (port as number) >= 1 &&
    (port as number) <= 65_535 &&
    typeof token === 'string' &&
    token.length > 0 &&
    Number.isInteger(pid) &&
    (pid as number) > 0;
  if (!ok) throw new Error('control.json: not a control listener description');
  return { url, port: port as number, token, pid: pid as number };
}

export function controlInfoPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_INFO_FILE);
}

export function writeControlInfo(dataDir: string, info: ControlInfo): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomicSync(
    controlInfoPath(dataDir),
    `${JSON.stringify(parseControlInfo(info), null, 2)}\n`,
    0o600,
  );
}

/** The running instance's control listener, or null: no file, a corrupt one, or its process is gone. */
export function readControlInfo(dataDir: string): ControlInfo | null {
  let raw: string;
  try {
    raw = fs.readFileSync(controlInfoPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  let info: ControlInfo;
  try {
    info = parseControlInfo(JSON.parse(raw));
  } catch {
    return null;
  }
  return processAlive(info.pid) ? info : null;
}

/**
 * Removes control.json. With `pid`, only when the file belongs to that process, so an instance
 * that stops does not remove the file of another one that started later.
 */
export function removeControlInfo(dataDir: string, pid?: number): void {
  const file = controlInfoPath(dataDir);
  if (pid !== undefined) {
    try {
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown };
      if (info.pid !== pid) return;
    } catch {
      // Missing or corrupt: removing it is right either way.
    }
  }
  fs.rmSync(file, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
