import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from './cli.ts';

// Running the real CLI in tests: spawned (a signal, a second command on a running one, the entry
// point itself, another environment) or in this process through main() (its modules load once).

export const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const children: ChildProcess[] = [];

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (root only: to test what root is allowed anyway). */
  uid?: number;
  gid?: number;
  /** The program and its first arguments before `node --import tsx cli.ts` (e.g. dbus-run-session). */
  wrapper?: string[];
}

export interface RunningCli {
  child: ChildProcess;
  exited: Promise<number | null>;
  out(): string;
  err(): string;
  /** Resolves with the first match in stdout + stderr; throws with the output after the deadline. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function runCli(args: string[], options: RunOptions = {}): RunningCli {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args];
  const [program, ...rest] = [...(options.wrapper ?? []), ...command];
  const child = spawn(program as string, rest, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    cwd: path.dirname(path.dirname(CLI)),
    uid: options.uid,
    gid: options.gid,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  let closed = false;
  // 'close', not 'exit': by then everything it printed has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    async waitFor(pattern: RegExp, timeoutMs = 45_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = (stdout + stderr).match(pattern);
        if (match) return match;
        if (closed) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const match = (stdout + stderr).match(pattern);
      if (match) return match;
      throw new Error(`no ${pattern} in output (exit ${child.exitCode}):\n${stdout}\n${stderr}`);
    },
  };
}

/** Kills what runCli started and is still running (afterEach). */
export function killClis(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/** main() in this process, with what it prints to stdout and stderr. */
export async function runInProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const collect = (text: unknown[]) => `${text.map(String).join(' ')}\n`;
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...text) => {
      out += collect(text);
    }),
    vi.spyOn(console, 'error').mockImplementation((...text) => {
      err += collect(text);
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    }),
  ];
  try {
    const code = await main(args, env);
    return { code, out, err };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
