// The app's log file (the connector's lines and the shell's), also echoed to stderr. One
// older file is kept: at launch a log over the size limit becomes `<name>.1`.
import { createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { printableLine } from '../server/activity/sanitize.ts';

export interface LogFile {
  line(text: string): void;
  /** Flushes and closes the file; lines after this go to stderr only. */
  close(): Promise<void>;
}

export function openLogFile(
  file: string,
  options: { maxBytes?: number; echo?: (line: string) => void } = {},
): LogFile {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const echo = options.echo ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  let stream: ReturnType<typeof createWriteStream> | null = createWriteStream(file, {
    flags: 'a',
    mode: 0o600,
  });
  stream.on('error', (error) => {
    echo(`log: ${file}: ${error.message}`);
    stream = null;
  });
  return {
    line(text) {
      // Log lines quote what clients send: printable, so none can drive a terminal or fake a line.
      const line = `${new Date().toISOString()} ${printableLine(text)}`;
      echo(line);
      stream?.write(`${line}\n`);
    },
    close() {
      const s = stream;
      stream = null;
      return new Promise((resolve) => (s ? s.end(resolve) : resolve()));
    },
  };
}
