import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FAKE_CLOUDFLARED } from './fixtures/fake-cloudflared-testing.ts';

const demo = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo.ts');

it('npm run demo prints its ready line, serves the folder behind OAuth, and stops cleanly', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'porthole-demo-folder-'));
  writeFileSync(path.join(folder, 'note.txt'), 'hello demo');
  const child = spawn(process.execPath, ['--import', 'tsx', demo, '--port', '0', '--folder', folder], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.on('exit', (code) => reject(new Error(`demo exited ${code}`)));
  });
  const ready = JSON.parse(line) as { mcpUrl: string; githubUrl: string; dataDir: string };
  expect(ready.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  expect(ready.githubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const unauthorized = await fetch(ready.mcpUrl, { method: 'POST' });
  expect(unauthorized.status).toBe(401);
  const metadata = (await fetch(
    `${new URL(ready.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`,
  ).then((r) => r.json())) as { resource: string };
  expect(metadata.resource).toBe(ready.mcpUrl);
  child.kill('SIGINT');
  expect(await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)))).toBe(0);
  rmSync(folder, { recursive: true, force: true });
  rmSync(ready.dataDir, { recursive: true, force: true });
});

it('npm run demo -- --tunnel quick announces the public URL (fake cloudflared)', async () => {
  const fakeDir = mkdtempSync(path.join(tmpdir(), 'porthole-demo-fake-'));
  const child = spawn(process.execPath, ['--import', 'tsx', demo, '--port', '0', '--tunnel', 'quick'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDFLARED_BIN: FAKE_CLOUDFLARED, FAKE_CLOUDFLARED_STATE_DIR: fakeDir },
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.on('exit', (code) => reject(new Error(`demo exited ${code}`)));
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const ready = JSON.parse(line) as { mcpUrl: string; publicUrl: string; dataDir: string };
  expect(ready.publicUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com$/);
  expect(ready.mcpUrl).toBe(`${ready.publicUrl}/mcp`);
  child.kill('SIGINT');
  expect(
    await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal))),
    err,
  ).toBe(0);
  rmSync(fakeDir, { recursive: true, force: true });
  rmSync(ready.dataDir, { recursive: true, force: true });
});

it('npm run demo -- --search runs a real MCP client through OAuth, prints the results and exits', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'porthole-demo-folder-'));
  writeFileSync(path.join(folder, 'trip.md'), '# Trip to Lisbon\n\nBook the tram tour on Tuesday.');
  writeFileSync(path.join(folder, 'list.txt'), 'Groceries: apples and bread.');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', demo, '--port', '0', '--folder', folder, '--search', 'tram tour'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
  expect(code, err).toBe(0);
  const lines = out.trim().split('\n');
  const ready = JSON.parse(lines[0] ?? '') as { mcpUrl: string; dataDir: string };
  expect(out).toContain('answered 401');
  expect(out).toContain('exchanged for an access token');
  expect(out).toContain('search "tram tour": 1 result');
  expect(out).toMatch(/1\. Trip to Lisbon {2}http:\/\/127\.0\.0\.1:\d+\/view\//);
  expect(out).toContain('Book the tram tour on Tuesday.');
  expect(out).not.toContain('Groceries');
  rmSync(folder, { recursive: true, force: true });
  rmSync(ready.dataDir, { recursive: true, force: true });
});

it('npm run demo -- --search without a folder says to add one, before starting anything', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', demo, '--search', 'tram tour'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
  expect(code).toBe(2);
  expect(err).toContain('--search needs a folder to search in: add --folder PATH');
  expect(out).toBe('');
});
