import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killClis, runCli, runInProcess } from './cli-testing.ts';
import { removeDirs, tempDir, writeTree } from './library/testing.ts';

// `porthole folders list|add|remove`, with and without a running serve, and the refusals of
// --folder and `folders add` that used to be silent or late.

const dirs: string[] = [];

afterEach(async () => {
  killClis();
  await removeDirs(...dirs.splice(0));
});

async function temp(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  dirs.push(dir);
  return dir;
}

function savedFolders(dataDir: string): string[] {
  const settings = JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
  return (settings.folders as { path: string }[]).map((f) => f.path);
}

describe('porthole folders without a running serve', () => {
  it('adds, lists and removes folders in settings.json, with the same refusals as the dashboard', async () => {
    const data = await temp('porthole-data-');
    const docs = await temp('porthole-docs-');
    fs.mkdirSync(path.join(docs, 'inner'));
    const notes = await temp('porthole-notes-');

    const empty = await runInProcess(['folders', 'list', '--data-dir', data]);
    expect(empty).toMatchObject({ code: 0, out: 'No folder is shared yet: porthole folders add PATH.\n' });
    expect(fs.readdirSync(data)).toEqual([]); // listing writes nothing

    const added = await runInProcess(['folders', 'add', docs, notes, '--data-dir', data]);
    expect(added.code).toBe(0);
    expect(added.out).toContain(`Shared ${docs}: it is indexed when porthole serve starts.`);
    expect(savedFolders(data)).toEqual([docs, notes]);

    const inside = await runInProcess(['folders', 'add', path.join(docs, 'inner'), '--data-dir', data]);
    expect(inside.code).toBe(1);
    expect(inside.err.trim()).toBe(
      `porthole: "${path.join(docs, 'inner')}" is inside "${docs}", which is already shared.`,
    );
    const missing = await runInProcess(['folders', 'add', path.join(docs, 'nope'), '--data-dir', data]);
    expect(missing.err).toMatch(/does not exist/);
    const file = path.join(notes, 'a.txt');
    fs.writeFileSync(file, 'a');
    expect((await runInProcess(['folders', 'add', file, '--data-dir', data])).err).toMatch(
      /is a file, not a folder/,
    );

    const list = await runInProcess(['folders', 'list', '--data-dir', data, '--json']);
    expect(JSON.parse(list.out).map((f: { path: string }) => f.path)).toEqual([docs, notes]);

    const removed = await runInProcess(['folders', 'remove', path.basename(notes), '--data-dir', data]);
    expect(removed).toMatchObject({ code: 0, out: `Stopped sharing ${notes}.\n` });
    expect(savedFolders(data)).toEqual([docs]);
    const unknown = await runInProcess(['folders', 'remove', notes, '--data-dir', data]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`"${notes}" is not a shared folder`);
    // Nothing of a serve is left by these commands.
    expect(fs.existsSync(path.join(data, 'instance.lock'))).toBe(false);
  });

  it('refuses a folder it cannot read, up front', async () => {
    const data = await temp('porthole-data-');
    const locked = await temp('porthole-locked-');
    fs.chmodSync(locked, 0o000);
    // Root reads any folder (no refusal would be right): the CLI then runs as nobody, for whom
    // this folder is unreadable, with a data folder nobody may write.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(data, 65534, 65534);
    const proc = runCli(
      ['folders', 'add', locked, '--data-dir', data],
      asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: data } } : {},
    );
    expect(await proc.exited).toBe(1);
    expect(proc.err().trim()).toBe(
      `porthole: "${locked}" cannot be read by Porthole (EACCES): it needs permission to list and open that folder. Check its permissions (e.g. chmod u+rx), or share another folder.`,
    );
    fs.chmodSync(locked, 0o700);
  });
});

describe('porthole folders with a running serve', () => {
  it('changes the live connector through its control API, and --folder says what it did not add', async () => {
    const data = await temp('porthole-data-');
    const docs = await temp('porthole-docs-');
    await writeTree(docs, { 'inner/a.txt': 'alpha', 'b.txt': 'beta' });
    const more = await temp('porthole-more-');
    await writeTree(more, { 'c.txt': 'gamma' });
    expect((await runInProcess(['folders', 'add', path.join(docs, 'inner'), '--data-dir', data])).code).toBe(
      0,
    );

    // --folder around a shared folder: serve goes on, and says why the folder is not shared.
    const serve = runCli(['serve', '--folder', docs, '--port', '0', '--data-dir', data, '--tunnel', 'off']);
    await serve.waitFor(/Press Ctrl-C to stop/);
    expect(serve.err()).toContain(
      `porthole: --folder ${docs} was not added: "${docs}" contains "${path.join(docs, 'inner')}", which is already shared.`,
    );

    const added = await runInProcess(['folders', 'add', more, '--data-dir', data]);
    expect(added).toMatchObject({
      code: 0,
      out: `Shared ${more}: the running Porthole is indexing it now.\n`,
    });
    await serve.waitFor(new RegExp(`✓ ${path.basename(more)}: 1 indexed`));
    const list = await runInProcess(['folders', 'list', '--data-dir', data]);
    expect(list.out).toContain(`${more}  (watching, 1 indexed)`);

    const removed = await runInProcess(['folders', 'remove', path.join(docs, 'inner'), '--data-dir', data]);
    expect(removed.code).toBe(0);
    const status = await runInProcess(['status', '--data-dir', data, '--json']);
    expect(JSON.parse(status.out).folders.map((f: { path: string }) => f.path)).toEqual([more]);

    const refused = await runInProcess(['folders', 'add', path.join(more, 'x'), '--data-dir', data]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/does not exist/);
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
    expect(savedFolders(data)).toEqual([more]);
  });
});
