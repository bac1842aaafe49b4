import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { LibraryDocument, SearchResult } from '../library/types.ts';

/** What the tools need from the library: search and read, nothing that writes. */
export interface DocumentSource {
  search(
    query: string,
    options?: { limit?: number; snippets?: boolean },
  ): SearchResult[] | Promise<SearchResult[]>;
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
/** `fetch` returns at most this many characters of a document's text; `metadata.truncated` says when it cut. */
export const FETCH_TEXT_LIMIT = 200_000;

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
      .describe(`Present and true when the text was cut at ${FETCH_TEXT_LIMIT} characters.`),
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
        'Use a few distinctive keywords rather than a whole sentence; "exact phrase" in quotes, word* for prefixes, ' +
        '-word to exclude. Documents matching every keyword rank first.',
      inputSchema: {
        query: z.string().min(1).max(1000).describe('Keywords to look for, e.g. `quarterly budget 2024`.'),
      },
      outputSchema: searchOutput,
      annotations: { title: 'Search shared files', ...READ_ONLY },
    },
    async ({ query }): Promise<CallToolResult> => {
      const started = performance.now();
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
        'Returns the full text of one document found with `search`, by its id, with its path, folder, ' +
        'modification time, size and type. Only ids returned by `search` work.',
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
      const cut = doc.text.length > FETCH_TEXT_LIMIT;
      const text = cut ? doc.text.slice(0, FETCH_TEXT_LIMIT) : doc.text;
      const metadata = {
        path: doc.path,
        folder: doc.folderName,
        modified: doc.modifiedAt,
        size: doc.size,
        type: doc.kind,
        ...(cut || doc.truncated ? { truncated: true } : {}),
      };
      const payload = {
        id: doc.id,
        title: doc.title,
        text,
        url: viewUrl(context.baseUrl(), doc.id),
        metadata,
      };
      context.report({
        tool: 'fetch',
        summary: doc.title,
        bytes: Buffer.byteLength(text),
        latencyMs: since(started),
      });
      return { content: [{ type: 'text', text: JSON.stringify(payload) }], structuredContent: payload };
    },
  );
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
