// The pending GitHub sign-ins: bounded, and nobody's requests push out someone else's.
import { describe, expect, it } from 'vitest';
import { GitHubClient } from '../github/client.ts';
import { createGitHubStep, MAX_PENDING_PER_CALLER, type SignInCaller } from './github-step.ts';

function step() {
  // Only authorizeUrl is used here: no request leaves the process.
  const github = new GitHubClient({
    webUrl: 'http://127.0.0.1:9',
    apiUrl: 'http://127.0.0.1:9',
    clientId: 'Iv1.test',
    clientSecret: 'x',
  });
  return createGitHubStep({
    github: () => github,
    callbackUrl: () => 'http://127.0.0.1:9/oauth/github/callback',
    expiredPage: () => {},
  });
}

const stateOf = (url: string) => new URL(url).searchParams.get('state') as string;
const network = (address: string): SignInCaller => ({ kind: 'network', address });

describe('pending sign-ins', () => {
  it("one caller's flood evicts only its own oldest", () => {
    const s = step();
    const owner = stateOf(s.begin(() => {}, network('127.0.0.1')));
    const flood = Array.from({ length: 500 }, () => stateOf(s.begin(() => {}, network('203.0.113.9'))));
    expect(s.isPending(owner)).toBe(true);
    expect(s.pendingCount()).toBe(1 + MAX_PENDING_PER_CALLER);
    expect(flood.slice(-MAX_PENDING_PER_CALLER).every((state) => s.isPending(state))).toBe(true);
  });

  it('a flood from thousands of addresses keeps what was pending before it, and the app sign-in', () => {
    const s = step();
    const app = stateOf(s.begin(() => {}, { kind: 'app' }));
    const person = stateOf(s.begin(() => {}, network('127.0.0.1')));
    for (let i = 0; i < 3000; i++) s.begin(() => {}, network(`10.${i >> 8}.${i & 255}.1`));
    expect(s.isPending(app)).toBe(true);
    expect(s.isPending(person)).toBe(true);
    expect(s.pendingCount()).toBeLessThanOrEqual(1000);
  });
});
