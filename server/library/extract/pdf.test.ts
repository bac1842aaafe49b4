import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from './index.ts';
import { extractPdf } from './pdf.ts';
import { makePdf } from './pdf-testing.ts';

let dir: string;
const file = async (name: string, data: Buffer | string) => {
  const p = path.join(dir, name);
  await writeFile(p, data);
  return p;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-pdf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PDF extraction', () => {
  const twoPages = makePdf([['Hello PDF world', 'second line'], ['Page two text']], '(Quarterly Report)');

  it('reads every page, blank line between pages, and the Info title', async () => {
    const result = await extractFile(await file('report.pdf', twoPages), { maxTextBytes: 1e6 });
    expect(result).toEqual({
      ok: true,
      kind: 'pdf',
      title: 'Quarterly Report',
      text: 'Hello PDF world\nsecond line\n\nPage two text',
      truncated: false,
      // Where each page begins in the text: long PDFs are indexed and read by page.
      pages: { starts: [0, 29], numbers: [1, 2], total: 2 },
    });
  });

  it('decodes a UTF-16 title and falls back to the file name without one', async () => {
    const utf16 = `<FEFF${Buffer.from('Über', 'utf16le').swap16().toString('hex')}>`;
    const titled = await extractFile(await file('u.pdf', makePdf([['x']], utf16)), { maxTextBytes: 100 });
    expect(titled.ok && titled.title).toBe('Über');
    const untitled = await extractFile(await file('Scan 01.PDF', makePdf([['x']])), { maxTextBytes: 100 });
    expect(untitled.ok && untitled.title).toBe('Scan 01.PDF');
    const blank = await extractFile(await file('blank.pdf', makePdf([['x']], '(   )')), {
      maxTextBytes: 100,
    });
    expect(blank.ok && blank.title).toBe('blank.pdf');
  });

  it('stops at the text limit and says so', async () => {
    const result = await extractFile(await file('cut.pdf', twoPages), { maxTextBytes: 10 });
    expect(result).toMatchObject({ ok: true, text: 'Hello PDF ', truncated: true });
    // Page 2 began after the cut, so it is not in the page map.
    expect(result).toMatchObject({ pages: { starts: [0], numbers: [1], total: 2 } });
  });

  it('stops at the page limit', async () => {
    const result = await extractPdf(new Uint8Array(twoPages), { maxTextBytes: 1e6, maxPages: 1 });
    expect(result).toEqual({
      title: 'Quarterly Report',
      text: 'Hello PDF world\nsecond line',
      truncated: true,
      pages: { starts: [0], numbers: [1], total: 2 },
    });
  });

  it('gives up on time: partial text or a clear error, never a hang', async () => {
    const long = makePdf(Array.from({ length: 60 }, (_, i) => [`Page ${i}`, 'more words on this page']));
    const outcome = await extractPdf(new Uint8Array(long), { maxTextBytes: 1e9, timeoutMs: 1 }).then(
      (result) => result.truncated,
      (error: Error) => error.message,
    );
    expect([true, 'PDF took longer than 1 ms to read; it was skipped.']).toContain(outcome);
  });

  it('throws a short, human error for a damaged PDF', async () => {
    const broken = await file('broken.pdf', '%PDF-1.4\nthis is not really a pdf\n');
    await expect(extractFile(broken, { maxTextBytes: 100 })).rejects.toThrow(
      /^PDF could not be parsed: Invalid PDF structure\.$/,
    );
    const truncated = await file('half.pdf', twoPages.subarray(0, 200));
    await expect(extractFile(truncated, { maxTextBytes: 100 })).rejects.toThrow(/^PDF could not be parsed/);
    const empty = await file('empty.pdf', '');
    await expect(extractFile(empty, { maxTextBytes: 100 })).rejects.toThrow(/^PDF could not be parsed/);
  });
});
