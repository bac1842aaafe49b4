import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

// Starts cloudflared so that it cannot outlive us. On POSIX it runs under a tiny /bin/sh watchdog
// (not node: Electron release builds disable ELECTRON_RUN_AS_NODE) in its own process group, so a
// Ctrl-C in the terminal reaches us, not it, and we decide how it stops. The watchdog holds the read
// end of a pipe whose write end only we hold: when we die, for whatever reason (SIGKILL included),
// the kernel closes it, `read` returns, and the watchdog stops cloudflared. On Windows there is no
// such wrapper; the pidfile check at the next start cleans up instead (see orphans.ts).

// "$@" is the cloudflared command line. fd 3 tells us cloudflared's own pid; fd 4 keeps the pipe for
// the watcher, because asynchronous commands otherwise get /dev/null as stdin.
const WATCHDOG = `
trap 'kill -TERM "$child" 2>/dev/null' TERM HUP
exec 4<&0
"$@" </dev/null 1>&2 3>&- 4>&- &
child=$!
( read -r ignored; kill -TERM "$child" 2>/dev/null; sleep 5; kill -KILL "$child" 2>/dev/null ) <&4 >/dev/null 2>&1 3>&- &
watcher=$!
exec 4<&-
echo "$child" >&3
exec 3>&-
status=0
while :; do
  wait "$child"; status=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
exit "$status"
`;

export const WATCHDOG_NAME = 'porthole-cloudflared-watchdog';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  error: Error | null;
}

export interface CloudflaredProcessEvents {
  /** cloudflared's own pid (not the watchdog's). */
  pid: [pid: number];
  line: [line: string];
  exit: [info: ExitInfo];
}

export class CloudflaredProcess extends EventEmitter<CloudflaredProcessEvents> {
  readonly #child: ChildProcess;
  readonly #posix: boolean;
  #pid: number | null = null;
  #exit: ExitInfo | null = null;
  readonly #exited: Promise<ExitInfo>;

  constructor(binary: string, args: string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform) {
    super();
    this.#posix = platform !== 'win32';
    this.#child = this.#posix
      ? spawn('/bin/sh', ['-c', WATCHDOG, WATCHDOG_NAME, binary, ...args], {
          env,
          detached: true,
          stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
        })
      : spawn(binary, args, { env, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });

    this.#exited = new Promise((resolve) => {
      const finish = (info: ExitInfo) => {
        if (this.#exit) return;
        this.#exit = info;
        // Whatever is left of the watchdog's group (the watcher's sleep, a cloudflared that ignored
        // TERM) goes with it.
        if (this.#posix && this.#child.pid) killQuietly(-this.#child.pid, 'SIGKILL');
        resolve(info);
        this.emit('exit', info);
      };
      this.#child.once('error', (error) => finish({ code: null, signal: null, error }));
      // 'close', not 'exit': every stderr line (the reason it failed) has been read by then.
      this.#child.once('close', (code, signal) => finish({ code, signal, error: null }));
    });

    for (const stream of this.#posix ? [this.#child.stderr] : [this.#child.stderr, this.#child.stdout]) {
      if (stream)
        createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (l) =>
          this.emit('line', l),
        );
    }
    if (this.#posix) {
      const report = this.#child.stdio[3];
      let text = '';
      report?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const pid = Number.parseInt(text, 10);
        if (text.includes('\n') && Number.isInteger(pid) && pid > 0 && this.#pid === null) {
          this.#pid = pid;
          this.emit('pid', pid);
        }
      });
      report?.on('error', () => {});
      this.#child.stdin?.on('error', () => {});
    } else if (this.#child.pid) {
      const pid = this.#child.pid;
      this.#pid = pid;
      queueMicrotask(() => this.emit('pid', pid));
    }
  }

  /** cloudflared's pid, once known. */
  get pid(): number | null {
    return this.#pid;
  }

  /** The watchdog's pid on POSIX (cloudflared's own on Windows). */
  get wrapperPid(): number | null {
    return this.#child.pid ?? null;
  }

  get exitInfo(): ExitInfo | null {
    return this.#exit;
  }

  exited(): Promise<ExitInfo> {
    return this.#exited;
  }

  /** SIGTERM (cloudflared shuts down gracefully), then SIGKILL to the whole group after graceMs. */
  async terminate(graceMs: number): Promise<ExitInfo> {
    if (this.#exit) return this.#exit;
    const wrapper = this.#child.pid;
    if (this.#posix && wrapper) killQuietly(wrapper, 'SIGTERM');
    else this.#child.kill();
    const timer = setTimeout(() => {
      if (this.#posix && wrapper) killQuietly(-wrapper, 'SIGKILL');
      else this.#child.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

export function killQuietly(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
