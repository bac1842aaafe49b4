import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// jszip comes with mammoth; only the tests use it, to build a real DOCX.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from './index.ts';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The smallest package Word and mammoth accept: content types, the root relationship, the body. */
async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`,
  );
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

let dir: string;
const file = async (name: string, data: Buffer | string) => {
  const p = path.join(dir, name);
  await writeFile(p, data);
  return p;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-docx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DOCX extraction', () => {
  it('returns the raw text of the paragraphs, titled by file name', async () => {
    const docx = await makeDocx(['Meeting notes', 'Budget &amp; plans für 2025', 'Next steps']);
    const result = await extractFile(await file('Minutes.docx', docx), { maxTextBytes: 1e6 });
    expect(result).toEqual({
      ok: true,
      kind: 'docx',
      title: 'Minutes.docx',
      text: 'Meeting notes\n\nBudget & plans für 2025\n\nNext steps',
      truncated: false,
    });
  });

  it('truncates to the byte limit', async () => {
    const docx = await makeDocx(['ééééé']);
    const result = await extractFile(await file('short.docx', docx), { maxTextBytes: 5 });
    expect(result).toMatchObject({ ok: true, text: 'éé', truncated: true });
  });

  it('throws a short, human error for a file that is not a DOCX', async () => {
    const notZip = await file('fake.docx', 'plain text pretending to be Word');
    await expect(extractFile(notZip, { maxTextBytes: 100 })).rejects.toThrow(/^DOCX could not be read: /);
    const zip = new JSZip();
    zip.file('hello.txt', 'a zip, but no word/document.xml');
    const wrongZip = await file('wrong.docx', await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(extractFile(wrongZip, { maxTextBytes: 100 })).rejects.toThrow(/^DOCX could not be read: /);
  });
});
