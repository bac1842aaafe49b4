import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { WHOLE_FETCH_MAX_CHARS } from '../library/limits.ts';
import { MAX_QUERY_CHARS } from '../library/query.ts';
import type { DocumentPart, LibraryDocument, SearchResult } from '../library/types.ts';

/** What the tools need from the library: search and read, nothing that writes. */
export interface DocumentSource {
  search(
    query: string,
    options?: { limit?: number; snippets?: boolean },
  ): SearchResult[] | Promise<SearchResult[]>;
  /** A document as `fetch` returns it: whole, or one part of a long one (`part` set, `text` that part). */
  read(id: unknown): Promise<LibraryDocument>;
}

/** What a tool call did, for the activity log. */
export interface ToolOutcome {
  tool: string;
  summary: string;
  results?: number;
  bytes?: number;
  error?: string;
  latencyMs: number;
}

export interface ToolContext {
  source: DocumentSource;
  /** The public base URL at the time of the call (tunnel or loopback), no trailing slash. */
  baseUrl: () => string;
  report: (outcome: ToolOutcome) => void;
}

export const SEARCH_RESULT_LIMIT = 10;
/** `fetch` returns a document whole up to this many characters; a longer one in parts (`metadata.part`). */
export const FETCH_TEXT_LIMIT = WHOLE_FETCH_MAX_CHARS;

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const searchOutput = {
  results: z
    .array(
      z.object({
        id: z.string().describe('Pass this to fetch to read the document.'),
        title: z.string(),
        url: z.string().describe('A link to the document, for citations.'),
      }),
    )
    .describe('Best match first; at most 10.'),
};

const fetchOutput = {
  id: z.string(),
  title: z.string(),
  text: z.string().describe('The document as plain text (Markdown stays Markdown).'),
  url: z.string(),
  metadata: z.object({
    path: z.string().describe('Path inside the shared folder.'),
    folder: z.string().describe('Name of the shared folder.'),
    modified: z.string().describe('Last modified, ISO 8601.'),
    size: z.number().describe('File size in bytes.'),
    type: z.string().describe('text, code, markdown, html, pdf or docx.'),
    truncated: z
      .boolean()
      .optional()
      .describe('Present and true when the document is longer than what could be read of it (size limit).'),
    part: z
      .string()
      .optional()
      .describe('For a long document: which part `text` is, e.g. "characters 40,000-60,000 of 3,000,000".'),
    chars: z
      .object({ start: z.number(), end: z.number(), total: z.number() })
      .optional()
      .describe('For a part: its character range [start, end) in the whole document, and the total length.'),
    pages: z
      .object({ first: z.number(), last: z.number(), total: z.number() })
      .optional()
      .describe("For a part of a PDF: the pages it covers and the PDF's page count."),
    previous: z.string().optional().describe('For a part: the id of the part before it (pass it to fetch).'),
    next: z.string().optional().describe('For a part: the id of the part after it (pass it to fetch).'),
  }),
};

export function registerTools(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'search',
    {
      title: 'Search shared files',
      description:
        'Full-text search over the files the user shared from their computer (notes, documents, code, PDFs, Word files). ' +
        'Returns up to 10 documents, best first, each with an id to pass to `fetch`. ' +
        'Distinctive keywords work best, a whole question works too; "exact phrase" in quotes, word* for prefixes, ' +
        '-word to exclude. Documents with more of the keywords, and the rarer ones, rank first. ' +
        `A query longer than ${MAX_QUERY_CHARS} characters is cut there, never refused.`,
      inputSchema: {
        // No .max(): a long query is cut (parseQuery), not refused, so the model never hits a dead end.
        query: z.string().min(1).describe('Keywords to look for, e.g. `quarterly budget 2024`.'),
      },
      outputSchema: searchOutput,
      annotations: { title: 'Search shared files', ...READ_ONLY },
    },
    async ({ query: asked }): Promise<CallToolResult> => {
      const started = performance.now();
      const query = asked.slice(0, MAX_QUERY_CHARS);
      // The tool returns no snippets, so none are computed: they are most of a search's cost.
      const hits = await context.source.search(query, { limit: SEARCH_RESULT_LIMIT, snippets: false });
      const base = context.baseUrl();
      const results = hits.map((h) => ({ id: h.id, title: h.title, url: viewUrl(base, h.id) }));
      const payload = { results };
      context.report({ tool: 'search', summary: query, results: results.length, latencyMs: since(started) });
      return { content: [{ type: 'text', text: JSON.stringify(payload) }], structuredContent: payload };
    },
  );

  server.registerTool(
    'fetch',
    {
      title: 'Read a shared file',
      description:
        'Returns the text of one document found with `search`, by its id, with its path, folder, ' +
        'modification time, size and type. Only ids returned by `search` work. A long document comes in parts: ' +
        'a search result opens at the part that matched, `metadata.part` says which part it is, and ' +
        '`metadata.next` / `metadata.previous` are the ids of the parts after and before it.',
      inputSchema: { id: z.string().min(1).max(200).describe('An id from a `search` result.') },
      outputSchema: fetchOutput,
      annotations: { title: 'Read a shared file', ...READ_ONLY },
    },
    async ({ id }): Promise<CallToolResult> => {
      const started = performance.now();
      let doc: LibraryDocument;
      try {
        doc = await context.source.read(id);
      } catch (error) {
        const message = toolErrorMessage(error);
        context.report({ tool: 'fetch', summary: id, error: message, latencyMs: since(started) });
        return { isError: true, content: [{ type: 'text', text: message }] };
      }
      // The library returns long documents in parts; the cut is only a last bound.
      const cut = doc.text.length > FETCH_TEXT_LIMIT;
      const text = cut ? doc.text.slice(0, FETCH_TEXT_LIMIT) : doc.text;
      const metadata = {
        path: doc.path,
        folder: doc.folderName,
        modified: doc.modifiedAt,
        size: doc.size,
        type: doc.kind,
        ...(cut || doc.truncated ? { truncated: true } : {}),
        ...(doc.part ? partMetadata(doc.part) : {}),
      };
      // A part keeps the id it was asked for, so the id and url name what `text` is.
      const shownId = doc.part ? id : doc.id;
      const payload = {
        id: shownId,
        title: doc.title,
        text,
        url: viewUrl(context.baseUrl(), shownId),
        metadata,
      };
      context.report({
        tool: 'fetch',
        summary: doc.part ? `${doc.title} (${describePart(doc.part)})` : doc.title,
        bytes: Buffer.byteLength(text),
        latencyMs: since(started),
      });
      return { content: [{ type: 'text', text: JSON.stringify(payload) }], structuredContent: payload };
    },
  );
}

function partMetadata(part: DocumentPart) {
  return {
    part: describePart(part),
    chars: { start: part.start, end: part.end, total: part.totalChars },
    ...(part.pages ? { pages: part.pages } : {}),
    ...(part.previousId ? { previous: part.previousId } : {}),
    ...(part.nextId ? { next: part.nextId } : {}),
  };
}

function describePart(part: DocumentPart): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const chars = `characters ${n(part.start)}-${n(part.end)} of ${n(part.totalChars)}`;
  if (!part.pages) return chars;
  const { first, last, total } = part.pages;
  return `${first === last ? `page ${first}` : `pages ${first}-${last}`} of ${total}, ${chars}`;
}

export function viewUrl(base: string, id: string): string {
  return `${base}/view/${encodeURIComponent(id)}`;
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function toolErrorMessage(error: unknown): string {
  if (error instanceof Error && error.name === 'DocumentNotFoundError') return error.message;
  return 'This document could not be read right now. Try again, or search again for another id.';
}
