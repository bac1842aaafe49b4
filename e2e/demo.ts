// `npm run demo -- --port N --folder PATH`: Porthole without any account. A fake GitHub
// on a free port (the owner is its `octocat`), Porthole serving PATH on port N with the
// full authorization flow, no tunnel unless `--tunnel quick` (then cloudflared, or the fake
// in e2e/fixtures/fake-cloudflared through CLOUDFLARED_BIN). When ready it prints one JSON
// line: {"mcpUrl","githubUrl","dataDir"}, plus "publicUrl" with a tunnel (mcpUrl is then
// public). Set PORTHOLE_FAKE_GITHUB_USER=octocat to skip the fake GitHub's user picker
// (scripts following redirects with plain HTTP).
// `--search "words"` also runs the demo's own MCP client through the whole OAuth flow, prints
// the search results and the start of the first one, and stops (see demo-client.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createConnector } from '../server/connector.ts';
import { MemorySecretStore } from '../server/secrets.ts';
import { SettingsFile } from '../server/settings.ts';
import { searchAsClient } from './demo-client.ts';
import { DEFAULT_CLIENT, startFakeGitHub } from './fixtures/fake-github.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    folder: { type: 'string', multiple: true, default: [] },
    tunnel: { type: 'string', default: 'off' },
    search: { type: 'string' },
  },
});
if (values.tunnel !== 'off' && values.tunnel !== 'quick') {
  console.error(`demo: --tunnel must be quick or off, not "${values.tunnel}"`);
  process.exit(2);
}
const tunnel = values.tunnel as 'quick' | 'off';
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`demo: --port must be 0..65535, not "${values.port}"`);
  process.exit(2);
}
if (values.search !== undefined && (values.folder ?? []).length === 0) {
  console.error('demo: --search needs a folder to search in: add --folder PATH (for example --folder .)');
  process.exit(2);
}

// With --search, the demo's own client plays the person at the browser: the owner signs in unasked.
const github = await startFakeGitHub(values.search === undefined ? {} : { autoLoginUser: 'octocat' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'porthole-demo-'));
SettingsFile.open(dataDir, { log: () => {} }).update((s) => {
  s.owner = { id: 1, login: 'octocat', name: 'The Octocat', avatarUrl: null };
  s.github = { webUrl: github.url, apiUrl: github.apiUrl, clientId: DEFAULT_CLIENT.clientId };
});
// The demo never touches the real keychain.
const connector = createConnector({
  dataDir,
  port,
  secrets: new MemorySecretStore(),
  githubClientSecret: DEFAULT_CLIENT.clientSecret,
  tunnel,
  log: (line) => console.error(line),
});
// Handlers first: a Ctrl-C at any moment (even before the ready line) stops cleanly.
let started: Promise<unknown> = Promise.resolve();
const stop = async () => {
  await started.catch(() => {});
  await connector.stop();
  await github.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
try {
  started = connector.start();
  await started;
  for (const folder of values.folder ?? []) await connector.control.addFolder(path.resolve(folder));
  await connector.library.whenIdle();
  if (tunnel === 'quick') await tunnelConnected();
} catch (error) {
  console.error(`demo: ${(error as Error).message}`);
  await connector.stop().catch(() => {});
  await github.close();
  process.exit(1);
}
const ready = connector.state();
console.log(
  JSON.stringify({
    mcpUrl: ready.mcpUrl,
    ...(tunnel === 'quick' ? { publicUrl: ready.tunnel.publicUrl } : {}),
    githubUrl: github.url,
    dataDir,
  }),
);
if (values.search !== undefined) {
  const mcpUrl = ready.mcpUrl;
  if (mcpUrl === null) {
    console.error('demo: the connector has no MCP URL (is GitHub sign-in set up?)');
    process.exit(1);
  }
  const failed = await searchAsClient(mcpUrl, values.search, (line) => console.log(line)).then(
    () => false,
    (error: Error) => {
      console.error(`demo: the client failed: ${error.message}`);
      return true;
    },
  );
  await connector.stop();
  await github.close();
  process.exit(failed ? 1 : 0);
}

/** Waits for the tunnel's public URL (CLOUDFLARED_BIN may point at e2e/fixtures/fake-cloudflared). */
function tunnelConnected(): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const t = connector.state().tunnel;
      if (t.state === 'connected' && t.publicUrl) {
        unsubscribe();
        resolve();
      } else if (t.state === 'error') {
        unsubscribe();
        reject(new Error(`the tunnel did not start: ${t.message}`));
      }
    };
    const unsubscribe = connector.subscribe(check);
    check();
  });
}
