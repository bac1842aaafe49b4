// Reading the activity files back, newest first, from their ends: the UI wants the last few hundred
// entries and the log wants the last seq, and neither should cost reading 50 MiB of history.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActivityEntry } from '../api.ts';
import { parseEntryLine } from './entry.ts';

export const CURRENT_FILE = 'activity.jsonl';

/** `activity.jsonl` is generation 0; rotation renames it to `activity.1.jsonl`, and so on. */
export function generationFile(dir: string, n: number): string {
  return path.join(dir, n === 0 ? CURRENT_FILE : `activity.${n}.jsonl`);
}

/** Generation numbers among directory entry names, newest (0) first. */
export function generationsIn(names: readonly string[]): number[] {
  const found: number[] = [];
  for (const name of names) {
    if (name === CURRENT_FILE) found.push(0);
    const m = /^activity\.([1-9][0-9]{0,5})\.jsonl$/.exec(name);
    if (m) found.push(Number(m[1]));
  }
  return found.sort((a, b) => a - b);
}

/** Generations present in `dir`, newest first. Empty when the dir is missing or unreadable. */
export function listGenerations(dir: string): number[] {
  try {
    return generationsIn(fs.readdirSync(dir));
  } catch {
    return [];
  }
}

const CHUNK = 64 * 1024;
/** Our lines are well under 2 KiB; anything longer is not ours and is skipped, not buffered. */
const MAX_LINE = 64 * 1024;

/** The lines of a file, last first, read backwards in chunks. Stops reading when the caller stops. */
export function* linesFromEnd(file: string): Generator<string> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  try {
    let pos = fs.fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    let skipping = false; // inside an over-long line whose tail was already dropped
    while (pos > 0) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      fs.readSync(fd, chunk, 0, len, pos);
      // Work on bytes: a chunk boundary may split a UTF-8 character, a newline byte never does.
      const data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      let end = data.length;
      for (let i = data.length - 1; i >= 0; i--) {
        if (data[i] !== 0x0a) continue;
        if (!skipping && end > i + 1) yield data.toString('utf8', i + 1, end);
        skipping = false;
        end = i;
      }
      carry = data.subarray(0, end);
      if (carry.length > MAX_LINE) {
        carry = Buffer.alloc(0);
        skipping = true;
      }
    }
    if (!skipping && carry.length > 0) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Up to `limit` entries from the activity files in `dir`, newest first. Torn or foreign lines are
 * skipped. Synchronous on purpose: it runs once at startup, before anything is recorded.
 */
export function loadRecent(dir: string, limit: number): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  if (!(limit > 0)) return out;
  for (const n of listGenerations(dir)) {
    for (const line of linesFromEnd(generationFile(dir, n))) {
      const entry = parseEntryLine(line);
      if (entry === null) continue;
      out.push(entry);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
