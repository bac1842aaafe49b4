import { describe, expect, it } from 'vitest';
import { enterpriseApiUrl, hostFromState, isHttpUrl, newAppUrl, resolveHost, withWebUrl } from './github.ts';

describe('GitHub host', () => {
  it('recognizes github.com and an Enterprise Server from the state', () => {
    expect(hostFromState('https://github.com', 'https://api.github.com').enterprise).toBe(false);
    expect(hostFromState('https://github.com/', 'https://api.github.com').enterprise).toBe(false);
    expect(hostFromState('https://ghe.example.com', 'https://ghe.example.com/api/v3')).toEqual({
      enterprise: true,
      webUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
      apiUrlEdited: false,
    });
  });

  it('derives the API URL until the person edits it', () => {
    const host = hostFromState('https://github.com', 'https://api.github.com');
    const typed = withWebUrl({ ...host, enterprise: true }, 'https://ghe.example.com/');
    expect(typed.apiUrl).toBe('https://ghe.example.com/api/v3');
    const edited = withWebUrl(
      { ...typed, apiUrl: 'https://api.ghe.example.com', apiUrlEdited: true },
      'https://x.io',
    );
    expect(edited.apiUrl).toBe('https://api.ghe.example.com');
    expect(enterpriseApiUrl('  ')).toBe('');
  });

  it('resolves what to save, or says what is wrong', () => {
    expect(resolveHost(hostFromState('https://github.com', ''))).toEqual({
      webUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
    expect(
      resolveHost({ enterprise: true, webUrl: 'https://ghe.example.com/', apiUrl: '', apiUrlEdited: false }),
    ).toEqual({
      webUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
    });
    expect(resolveHost({ enterprise: true, webUrl: 'ghe', apiUrl: '', apiUrlEdited: false })).toHaveProperty(
      'error',
    );
    expect(
      resolveHost({
        enterprise: true,
        webUrl: 'https://ghe.example.com',
        apiUrl: 'ftp://x',
        apiUrlEdited: true,
      }),
    ).toHaveProperty('error');
  });

  it('links to the OAuth App form on the chosen host', () => {
    const fromState = 'https://github.com/settings/applications/new';
    expect(newAppUrl(hostFromState('https://github.com', ''), fromState)).toBe(fromState);
    expect(
      newAppUrl(
        { enterprise: true, webUrl: 'https://ghe.example.com', apiUrl: '', apiUrlEdited: false },
        fromState,
      ),
    ).toBe('https://ghe.example.com/settings/applications/new');
    expect(
      newAppUrl({ enterprise: true, webUrl: 'half typed', apiUrl: '', apiUrlEdited: false }, fromState),
    ).toBe(fromState);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
  });
});
