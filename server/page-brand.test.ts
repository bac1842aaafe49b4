import { describe, expect, it } from 'vitest';
import { consentPage, messagePage } from './auth/pages.ts';
import { BRAND_MARK } from './page-brand.ts';
import { renderDocumentPage } from './viewer/render.ts';

// The server-rendered pages wear the dashboard's look, and still load nothing.
const pages = {
  consent: consentPage({
    uid: 'u1',
    csrf: 'c',
    clientName: 'ChatGPT',
    clientHost: 'chatgpt.com',
    redirectHost: 'chatgpt.com',
    folders: ['Notes'],
    githubReady: true,
  }),
  denied: messagePage('Access denied', 'This Porthole belongs to @octocat.', {
    href: '/back',
    text: 'Return',
  }),
  viewer: renderDocumentPage({
    id: 'd1',
    title: 'Trip',
    folderName: 'Docs',
    path: 'trip.md',
    kind: 'markdown',
    text: '# Trip',
    size: 10,
    modifiedAt: '2025-03-04T05:06:07.000Z',
    truncated: false,
  } as Parameters<typeof renderDocumentPage>[0]),
};

describe.each(Object.entries(pages))('the %s page', (_name, html) => {
  it("has the dashboard's logo and name, its colours, light and dark", () => {
    expect(html).toContain(BRAND_MARK);
    expect(html).toContain('--primary: #2f5bea');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toContain('name="viewport"');
  });

  it('loads nothing from anywhere (its CSP allows inline styles only)', () => {
    expect(html).not.toMatch(/<(link|script|img|iframe)\b|\bsrc=|url\(|@import/i);
  });
});
