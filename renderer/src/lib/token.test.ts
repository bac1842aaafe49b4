import { describe, expect, it } from 'vitest';
import { planToken, takeTokenFromHash } from './token.ts';

describe('token from the fragment', () => {
  it('takes the token and keeps the rest of the fragment', () => {
    expect(takeTokenFromHash('#token=abc123')).toEqual({ token: 'abc123', rest: '' });
    expect(takeTokenFromHash('#view=activity&token=abc&x=1')).toEqual({
      token: 'abc',
      rest: '#view=activity&x=1',
    });
    expect(takeTokenFromHash('token=a%2Bb%3D')).toEqual({ token: 'a+b=', rest: '' });
    expect(takeTokenFromHash('#token=a+b')).toEqual({ token: 'a+b', rest: '' });
    expect(takeTokenFromHash('')).toEqual({ token: null, rest: '' });
    expect(takeTokenFromHash('#')).toEqual({ token: null, rest: '' });
    expect(takeTokenFromHash('#other=1')).toEqual({ token: null, rest: '#other=1' });
    expect(takeTokenFromHash('#mytoken=1')).toEqual({ token: null, rest: '#mytoken=1' });
  });

  it('keeps a malformed escape as it is', () => {
    expect(takeTokenFromHash('#token=%E0%A4%A')).toEqual({ token: '%E0%A4%A', rest: '' });
  });

  it('moves a token from the link to storage and strips it from the address', () => {
    expect(planToken('#token=fresh', null)).toEqual({ token: 'fresh', save: 'fresh', replaceHash: '' });
  });

  it('prefers a new link over the stored token', () => {
    expect(planToken('#token=fresh', 'stale')).toEqual({ token: 'fresh', save: 'fresh', replaceHash: '' });
  });

  it('uses the stored token after a reload and leaves the address alone', () => {
    expect(planToken('', 'kept')).toEqual({ token: 'kept', save: null, replaceHash: null });
    expect(planToken('#view=x', 'kept')).toEqual({ token: 'kept', save: null, replaceHash: null });
  });

  it('has no token without a link or storage, and strips an empty token field', () => {
    expect(planToken('', null)).toEqual({ token: null, save: null, replaceHash: null });
    expect(planToken('#token=', null)).toEqual({ token: null, save: null, replaceHash: '' });
    expect(planToken('#token=&a=1', '')).toEqual({ token: null, save: null, replaceHash: '#a=1' });
  });
});
