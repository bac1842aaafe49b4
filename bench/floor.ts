import type { Server } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { z } from 'zod';

// The floor: the least any stateless MCP endpoint on this stack can cost. Same parts as
// Porthole's POST /mcp (express 5, express.json, a new McpServer and a stateless
// StreamableHTTPServerTransport with JSON responses per request) and a tool that does
// nothing but echo, so whatever Porthole costs above it is Porthole's own work.

export interface Floor {
  url: string;
  close(): Promise<void>;
}

function createEchoServer(): McpServer {
  const server = new McpServer({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { description: 'Returns its text.', inputSchema: { text: z.string().max(1000) } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

export async function startFloor(): Promise<Floor> {
  const app = express();
  app.post('/mcp', express.json({ limit: '1mb' }), async (req, res) => {
    const server = createEchoServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
