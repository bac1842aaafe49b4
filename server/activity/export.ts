// The whole retained activity log for an export: every rotated file, oldest first, then the
// current one. Up to maxFiles × maxFileBytes (50 MiB by default), read file by file; lines that
// do not parse (a torn last line after a crash, foreign text) are left out, the rest pass as
// they are on disk.
import * as fs from 'node:fs';
import { parseEntryLine } from './entry.ts';
import { generationFile, listGenerations } from './history.ts';

export async function readRetainedJsonl(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const n of listGenerations(dir).reverse()) {
    let text: string;
    try {
      text = await fs.promises.readFile(generationFile(dir, n), 'utf8');
    } catch {
      continue; // rotated away between the listing and the read
    }
    for (const line of text.split('\n')) if (line && parseEntryLine(line) !== null) parts.push(`${line}\n`);
  }
  return parts.join('');
}
