// How `porthole serve` stops on Ctrl-C (SIGINT) or SIGTERM: at once, saying "Stopped.", leaving
// nothing behind (control.json, the instance lock).
//
// One Ctrl-C often arrives twice: the terminal sends it to the whole foreground process group,
// and `npm run` forwards the one it got to its child as well. So a signal within a second of the
// first is the same request. A later one means "now": the synchronous cleanups run, "Stopped." is
// printed and the process exits, without waiting for the graceful stop. The graceful stop also has
// a deadline, after which the same happens. The index is SQLite in WAL mode: ending the process
// mid-write loses at most the batch being written, which the next start indexes again.

export const DUPLICATE_SIGNAL_MS = 1000;
export const GRACEFUL_STOP_MS = 10_000;

export interface StopSignalsOptions {
  /** Told once, at the first signal ("Stopping…"). */
  onFirst: () => void;
  /** What must not be left behind: run synchronously on a forced stop. */
  forceCleanups: () => void;
  /** Prints "Stopped." (and whatever goes with it) on a forced stop. */
  onForced: () => void;
  exit?: (code: number) => void;
  graceMs?: number;
}

export class StopSignals {
  /** Resolves at the first SIGINT or SIGTERM. */
  readonly requested: Promise<void>;
  #resolve: () => void = () => {};
  #firstAt: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #options: StopSignalsOptions;

  constructor(options: StopSignalsOptions) {
    this.#options = options;
    this.requested = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    // Installed before anything is printed: a signal right after the ready line (a script that
    // waits for it) must stop cleanly, not kill the process mid-way.
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
  }

  get stopping(): boolean {
    return this.#firstAt !== null;
  }

  /** The graceful stop finished: no more forcing. Removes the listeners. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }

  readonly #onSignal = (): void => {
    const now = Date.now();
    if (this.#firstAt === null) {
      this.#firstAt = now;
      this.#options.onFirst();
      this.#timer = setTimeout(() => this.#force(), this.#options.graceMs ?? GRACEFUL_STOP_MS);
      this.#timer.unref();
      this.#resolve();
      return;
    }
    if (now - this.#firstAt >= DUPLICATE_SIGNAL_MS) this.#force();
  };

  #force(): void {
    this.dispose();
    try {
      this.#options.forceCleanups();
    } finally {
      this.#options.onForced();
      (this.#options.exit ?? process.exit)(130);
    }
  }
}
