import { describe, expect, it } from 'vitest';
import { CONTROL_METHODS, DESKTOP_METHODS, initialFolderStatus } from './api.ts';
import {
  CONTROL_SCHEMAS,
  checkArgs,
  DESKTOP_SCHEMAS,
  isControlMethod,
  isDesktopMethod,
  usage,
} from './api-schemas.ts';

describe('the schemas', () => {
  it('cover exactly the methods of the contract', () => {
    expect(Object.keys(CONTROL_SCHEMAS).sort()).toEqual([...CONTROL_METHODS].sort());
    expect(Object.keys(DESKTOP_SCHEMAS).sort()).toEqual([...DESKTOP_METHODS].sort());
  });

  it('tell control and desktop methods apart', () => {
    expect(isControlMethod('addFolder')).toBe(true);
    expect(isControlMethod('openExternal')).toBe(false);
    expect(isControlMethod('toString')).toBe(false);
    expect(isDesktopMethod('openExternal')).toBe(true);
    expect(isDesktopMethod('addFolder')).toBe(false);
  });

  it('name each call with its parameters', () => {
    expect(usage('getState')).toBe('getState()');
    expect(usage('addFolder')).toBe('addFolder(path)');
    expect(usage('setLaunchAtLogin')).toBe('setLaunchAtLogin(enabled)');
  });
});

describe('checkArgs', () => {
  it('passes good arguments through as parsed', () => {
    expect(checkArgs('addFolder', ['/home/me/Notes'])).toEqual({ ok: true, args: ['/home/me/Notes'] });
    expect(checkArgs('listActivity', [])).toEqual({ ok: true, args: [] });
    expect(checkArgs('openExternal', ['https://github.com'])).toEqual({
      ok: true,
      args: ['https://github.com'],
    });
  });

  it('names the argument and the rule', () => {
    expect(checkArgs('setLaunchAtLogin', ['yes'])).toEqual({
      ok: false,
      message:
        'Bad arguments for setLaunchAtLogin(enabled): args[0]: Invalid input: expected boolean, received string.',
    });
    expect(checkArgs('getState', 'x')).toEqual({
      ok: false,
      message: '"args" must be an array, for getState().',
    });
  });
});

describe('initialFolderStatus', () => {
  it('is a folder before its first scan, with only the identity of what it was given', () => {
    const folder = { id: 'f1', path: '/home/me/Notes', name: 'Notes', addedAt: '2025-01-01T00:00:00.000Z' };
    expect(initialFolderStatus(folder)).toEqual({
      id: 'f1',
      path: '/home/me/Notes',
      name: 'Notes',
      state: 'scanning',
      filesSeen: 0,
      indexed: 0,
      skipped: 0,
      errors: [],
      bytes: 0,
      lastIndexedAt: null,
      message: null,
    });
  });

  it('gives each folder its own error list', () => {
    const folder = { id: 'f1', path: '/p', name: 'p' };
    expect(initialFolderStatus(folder).errors).not.toBe(initialFolderStatus(folder).errors);
  });
});
