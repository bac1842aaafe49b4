import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countLines, ripgrepArgs, ripgrepVersion, runRipgrep } from './ripgrep.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-rg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ripgrep baseline', () => {
  it('counts output lines', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a\nb\n')).toBe(2);
    expect(countLines('a\n\nb')).toBe(2);
  });

  it('never lets a term be read as an option', () => {
    expect(ripgrepArgs('-v', '/x')).toEqual(['-l', '-i', '-F', '--', '-v', '/x']);
  });

  it.skipIf(ripgrepVersion() === null)(
    'lists matching files case-insensitively, skips hidden ones, and treats no match as zero',
    () => {
      writeFileSync(path.join(root, 'a.txt'), 'The Kernel is here\n');
      writeFileSync(path.join(root, 'b.md'), 'kernel.*again\n');
      writeFileSync(path.join(root, '.hidden.txt'), 'kernel\n');
      expect(runRipgrep('KERNEL', root).files).toBe(2);
      expect(runRipgrep('kernel.*', root).files).toBe(1); // fixed string, not a regex
      const none = runRipgrep('zqxnothing', root);
      expect(none.files).toBe(0);
      expect(none.ms).toBeGreaterThan(0);
    },
  );
});
