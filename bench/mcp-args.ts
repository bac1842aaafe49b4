import { parseArgs } from 'node:util';
import { positiveInt } from './args.ts';

export interface McpBenchArgs {
  files: number;
  clients: number;
  seconds: number;
  seed: number;
  /** An external Porthole's /mcp URL; null starts one in this process. */
  targetUrl: string | null;
  json: boolean;
}

export const MCP_USAGE = `Usage: npm run bench:mcp -- [options]

  --files N          synthetic corpus size (default 10000; cached in the temp dir)
  --clients C        concurrent clients, each a loop of POSTs on a keep-alive connection (default 16)
  --seconds S        measured seconds per target, after 1 s of warm-up (default 10)
  --seed S           seed of the corpus and the queries (default 1)
  --target-url URL   load an external Porthole's /mcp (http or https) instead of starting one here;
                     the floor still runs in this process
  --json             print one JSON object on stdout instead of the tables
  --help             this text

Examples:
  npm run bench:mcp -- --seconds 3                  quick check
  npm run bench:mcp -- --clients 64                 heavier load
  npm run -s bench:mcp -- --json                    -s keeps npm's banner off stdout
  npm run bench:mcp -- --target-url http://127.0.0.1:8765/mcp`;

export function parseMcpBenchArgs(argv: readonly string[]): McpBenchArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      files: { type: 'string' },
      clients: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      'target-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
    files: positiveInt('--files', values.files, 10_000),
    clients: positiveInt('--clients', values.clients, 16),
    seconds: positiveInt('--seconds', values.seconds, 10),
    seed: positiveInt('--seed', values.seed, 1),
    targetUrl: values['target-url'] === undefined ? null : mcpUrl(values['target-url']),
    json: values.json ?? false,
  };
}

/** An http(s) URL; a bare base URL gets `/mcp` appended, since that is where Porthole answers. */
function mcpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--target-url must be a URL like http://127.0.0.1:8765/mcp, got "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--target-url must be http or https, got "${url.protocol}".`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
  return url.toString();
}
