import { describe, expect, it } from 'vitest';
import {
  accessExpired,
  formatAccessExpiry,
  formatLastRefresh,
  formatLifetime,
  lifetimeChoices,
  lifetimesProblem,
} from './token-times.ts';

const NOW = Date.UTC(2025, 2, 4, 12, 0, 0);
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('formatLastRefresh', () => {
  it('says never for a client that never refreshed', () => {
    expect(formatLastRefresh(null, NOW)).toBe('never');
  });
  it('says when it last refreshed', () => {
    expect(formatLastRefresh(at(-3 * HOUR), NOW)).toBe('3 h ago');
  });
});

describe('formatAccessExpiry', () => {
  it.each([
    [null, 'unknown'],
    ['not a date', 'unknown'],
    [at(30_000), 'in under a minute'],
    [at(20 * 60_000), 'in 20 min'],
    [at(5 * HOUR + 10 * 60_000), 'in 5 h'],
    [at(DAY + HOUR), 'in 1 day'],
    [at(7 * DAY - 60_000), 'in 6 days'],
    [at(-2 * HOUR), 'expired 2 h ago'],
  ])('%s → %s', (iso, text) => {
    expect(formatAccessExpiry(iso, NOW)).toBe(text);
  });

  it('knows when the access token has run out', () => {
    expect(accessExpired(at(-1), NOW)).toBe(true);
    expect(accessExpired(at(DAY), NOW)).toBe(false);
    expect(accessExpired(null, NOW)).toBe(false);
  });
});

describe('token lifetime choices', () => {
  it('names lifetimes in hours or days', () => {
    expect(formatLifetime(3600)).toBe('1 hour');
    expect(formatLifetime(12 * 3600)).toBe('12 hours');
    expect(formatLifetime(86_400)).toBe('1 day');
    expect(formatLifetime(30 * 86_400)).toBe('30 days');
  });

  it('offers presets within the bounds and keeps a current value that is not one', () => {
    expect(lifetimeChoices('accessTokenSeconds', 7 * 86_400).map(formatLifetime)).toEqual([
      '1 hour',
      '12 hours',
      '1 day',
      '7 days',
      '14 days',
      '30 days',
    ]);
    expect(lifetimeChoices('accessTokenSeconds', 2 * 3600)).toContain(2 * 3600);
    expect(lifetimeChoices('refreshTokenSeconds', 45 * 86_400).map(formatLifetime)).toEqual([
      '1 day',
      '7 days',
      '14 days',
      '30 days',
      '45 days',
      '60 days',
      '90 days',
    ]);
  });

  it('refuses a refresh token shorter than the access token', () => {
    expect(lifetimesProblem({ accessTokenSeconds: 14 * 86_400, refreshTokenSeconds: 7 * 86_400 })).toMatch(
      /at least as long/,
    );
    expect(lifetimesProblem({ accessTokenSeconds: 7 * 86_400, refreshTokenSeconds: 7 * 86_400 })).toBeNull();
  });
});
