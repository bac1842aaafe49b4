// `npm run demo -- --folder PATH --search "words"`: the demo's own MCP client, so a newcomer sees
// a search go through the whole connection a real client makes, without writing one: the MCP
// SDK's client gets a 401, discovers the authorization server, registers itself (DCR), sends
// "the person" through Porthole's consent page and the fake GitHub (as octocat, the owner),
// trades the code for a token, then calls `search` and `fetch` and prints what came back.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { memoryOAuthClient } from './fixtures/memory-oauth-client.ts';
import { approveWithRedirects } from './fixtures/porthole-auth.ts';

// Never contacted: the scripted browser stops when it is redirected here and hands the code over.
const CALLBACK = 'http://127.0.0.1:1/demo-client/callback';

interface SearchHit {
  id: string;
  title: string;
  url: string;
}

export async function searchAsClient(mcpUrl: string, query: string, print: (line: string) => void) {
  const url = new URL(mcpUrl);
  const auth = memoryOAuthClient({ callback: CALLBACK, clientName: 'Porthole demo client' });
  const first = new StreamableHTTPClientTransport(url, { authProvider: auth });
  const unauthenticated = await new Client({ name: 'porthole-demo', version: '1' }).connect(first).then(
    () => null,
    (error: Error) => error,
  );
  await first.close();
  if (!unauthenticated || !auth.authorizationUrl)
    throw new Error(`${mcpUrl} did not ask for authorization (is it a Porthole with GitHub sign-in?)`);
  print(
    `1. ${url.pathname} answered 401; registered as "${auth.clientMetadata.client_name}" and sent to sign in`,
  );
  const back = new URL(await approveWithRedirects(CALLBACK)(auth.authorizationUrl));
  print('2. consent page approved, signed in to the fake GitHub as octocat (the owner)');
  await first.finishAuth(back.searchParams.get('code') ?? '');
  print('3. authorization code exchanged for an access token');

  const client = new Client({ name: 'porthole-demo', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: auth }));
  try {
    const found = await client.callTool({ name: 'search', arguments: { query } });
    const results = (found.structuredContent as { results: SearchHit[] } | undefined)?.results ?? [];
    print(`4. search ${JSON.stringify(query)}: ${results.length} result${results.length === 1 ? '' : 's'}`);
    for (const [i, hit] of results.entries()) print(`   ${i + 1}. ${hit.title}  ${hit.url}`);
    const top = results[0];
    if (!top) return;
    const fetched = await client.callTool({ name: 'fetch', arguments: { id: top.id } });
    const doc = fetched.structuredContent as { title: string; text: string } | undefined;
    const text = (doc?.text ?? '').replace(/\s+/g, ' ').trim();
    print(`5. fetch of the first result, "${doc?.title ?? top.title}" (${text.length} characters):`);
    print(`   ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
  } finally {
    await client.close();
  }
}
