// The public test collections of the relevance bench, read from bench/collections/
// (gzipped originals, see each folder's SOURCE.md): documents, questions and judgments.
// Cranfield and CISI are deliberately absent: they are kept for an independent check.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Judgments } from './relevance-metrics.ts';

export interface TestDoc {
  id: string;
  title: string;
  body: string;
}

export interface TestQuery {
  id: string;
  text: string;
}

export interface TestCollection {
  name: string;
  docs: TestDoc[];
  queries: TestQuery[];
  /** Query id -> judged documents. */
  qrels: Map<string, Judgments>;
}

export const COLLECTIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'collections');

/**
 * SMART / Glasgow format (MED.ALL, cacm.all, *.QRY): records start with `.I <id>`, fields
 * with a dot-letter line (`.T` title, `.W` text, `.A` authors...). Returns each record's fields.
 */
export function parseSmart(text: string): { id: string; fields: Map<string, string> }[] {
  const records: { id: string; fields: Map<string, string> }[] = [];
  let current: { id: string; fields: Map<string, string> } | null = null;
  let field: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const start = /^\.I\s+(\S+)/.exec(line);
    if (start) {
      current = { id: String(Number(start[1])), fields: new Map() };
      records.push(current);
      field = null;
      continue;
    }
    const marker = /^\.([A-Z])\s*$/.exec(line);
    if (marker) {
      field = marker[1] ?? null;
      continue;
    }
    if (!current || !field) continue;
    const before = current.fields.get(field);
    current.fields.set(field, before === undefined ? line.trim() : `${before} ${line.trim()}`.trim());
  }
  return records;
}

/**
 * Judgment lines "<query> <doc> ..." (CACM qrels.text: `01 1410 0 0`), "<query> <doc> <grade>"
 * (MED.REL as shipped) or TREC's "<query> 0 <doc> <grade>". Every listed document is relevant
 * (grade 1) unless a TREC grade says otherwise.
 */
export function parseQrelLines(text: string, layout: 'query-doc' | 'trec'): Map<string, Judgments> {
  const qrels = new Map<string, Map<string, number>>();
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2 || cols[0] === '') continue;
    const query = String(Number(cols[0]));
    const doc = String(Number(layout === 'trec' ? cols[2] : cols[1]));
    const grade = layout === 'trec' ? Number(cols[3] ?? 1) : 1;
    const judged = qrels.get(query) ?? new Map<string, number>();
    judged.set(doc, grade);
    qrels.set(query, judged);
  }
  return qrels;
}

/** NPL (Glasgow): records separated by a line holding only `/`; first line the id, the rest text. */
export function parseSlashRecords(text: string): { id: string; lines: string[] }[] {
  const records: { id: string; lines: string[] }[] = [];
  for (const chunk of text.split(/^\s*\/\s*$/m)) {
    const lines = chunk
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    const [first, ...rest] = lines;
    if (first === undefined || !/^\d+$/.test(first)) continue;
    records.push({ id: String(Number(first)), lines: rest });
  }
  return records;
}

/** NPL rlv-ass: each record is a query id then the relevant document ids. */
export function parseSlashQrels(text: string): Map<string, Judgments> {
  const qrels = new Map<string, Judgments>();
  for (const { id, lines } of parseSlashRecords(text)) {
    const docs = lines.join(' ').split(/\s+/).filter(Boolean);
    qrels.set(id, new Map(docs.map((d) => [String(Number(d)), 1])));
  }
  return qrels;
}

function readGz(dir: string, file: string): string {
  return gunzipSync(readFileSync(path.join(dir, file))).toString('latin1');
}

export function loadMedline(root = COLLECTIONS_DIR): TestCollection {
  const dir = path.join(root, 'medline');
  const docs = parseSmart(readGz(dir, 'MED.ALL.gz')).map((r) => ({
    id: r.id,
    title: '',
    body: r.fields.get('W') ?? '',
  }));
  const queries = parseSmart(readGz(dir, 'MED.QRY.gz')).map((r) => ({
    id: r.id,
    text: r.fields.get('W') ?? '',
  }));
  return { name: 'MEDLINE', docs, queries, qrels: parseQrelLines(readGz(dir, 'MED.REL.gz'), 'query-doc') };
}

export function loadCacm(root = COLLECTIONS_DIR): TestCollection {
  const dir = path.join(root, 'cacm');
  const docs = parseSmart(readGz(dir, 'cacm.all.gz')).map((r) => ({
    id: r.id,
    title: r.fields.get('T') ?? '',
    body: r.fields.get('W') ?? '',
  }));
  const queries = parseSmart(readGz(dir, 'query.text.gz')).map((r) => ({
    id: r.id,
    text: r.fields.get('W') ?? '',
  }));
  return { name: 'CACM', docs, queries, qrels: parseQrelLines(readGz(dir, 'qrels.text.gz'), 'query-doc') };
}

export function loadNpl(root = COLLECTIONS_DIR): TestCollection {
  const dir = path.join(root, 'npl');
  const docs = parseSlashRecords(readGz(dir, 'doc-text.gz')).map((r) => ({
    id: r.id,
    title: '',
    body: r.lines.join('\n'),
  }));
  // NPL's requests are upper case; lower-cased they read like anyone's query.
  const queries = parseSlashRecords(readGz(dir, 'query-text.gz')).map((r) => ({
    id: r.id,
    text: r.lines.join(' ').toLowerCase(),
  }));
  return { name: 'NPL', docs, queries, qrels: parseSlashQrels(readGz(dir, 'rlv-ass.gz')) };
}

export const COLLECTION_LOADERS: Record<string, () => TestCollection> = {
  medline: loadMedline,
  cacm: loadCacm,
  npl: loadNpl,
};
