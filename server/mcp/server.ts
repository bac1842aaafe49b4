import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import packageJson from '../../package.json' with { type: 'json' };
import { registerTools, type ToolContext } from './tools.ts';

/** What clients see in `initialize`; the version is the app's own, from package.json. */
export const SERVER_INFO = { name: 'porthole', title: 'Porthole', version: packageJson.version };

export const INSTRUCTIONS =
  'Porthole gives read-only access to folders the user shared from their own computer: notes, documents, ' +
  'source code, PDFs and Word files. Use `search` with a few distinctive keywords to find documents, then ' +
  '`fetch` with an id from the results to read one in full. Nothing can be changed through these tools. ' +
  'Cite documents with the url each result carries.';

// The SDK builds a new Ajv instance (with all its formats) for every server unless given
// one; with a server per request that was a fifth of the cost of a request. The server
// only uses it for elicitation, which Porthole never asks for, so one shared instance is safe.
const sharedValidator = new AjvJsonSchemaValidator();

/** One server per request (stateless /mcp) or per stream (legacy /sse): cheap, and nothing leaks between clients. */
export function createMcpServer(context: ToolContext): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: sharedValidator,
  });
  registerTools(server, context);
  return server;
}
