import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderPathFromUi } from './folder-path.ts';

const HOME = '/home/mona';

describe('folderPathFromUi', () => {
  it('expands ~ to the home folder, as a shell would', () => {
    expect(folderPathFromUi('~/Documents', HOME)).toBe(path.join(HOME, 'Documents'));
    expect(folderPathFromUi('  ~/Notes/work ', HOME)).toBe(path.join(HOME, 'Notes/work'));
    expect(folderPathFromUi('~', HOME)).toBe(HOME);
  });

  it("refuses a relative path instead of resolving it against the server's working folder", () => {
    for (const typed of ['Documents', './notes', '../x', 'notes/work'])
      expect(() => folderPathFromUi(typed, HOME)).toThrow(/relative path.*full path/);
  });

  it("refuses another user's ~name, and an empty path", () => {
    expect(() => folderPathFromUi('~root/secrets', HOME)).toThrow(/Type the full path/);
    expect(() => folderPathFromUi('   ', HOME)).toThrow(/Choose a folder/);
  });

  it('keeps an absolute path as it is', () => {
    expect(folderPathFromUi('/srv/docs', HOME)).toBe('/srv/docs');
  });
});
