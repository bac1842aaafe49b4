import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from './fs-atomic.ts';
import type { SecretStore } from './secrets.ts';

// Secrets in a file of the data folder, for machines without an OS keychain (servers rarely run a
// Secret Service). Established CLIs do the same: GitHub's `gh` "will fallback to writing the token
// to a plain text file" when no credential store is found
// (https://cli.github.com/manual/gh_auth_login). The file is readable by this user only (0600, in
// the 0700 data folder), replaced atomically, and never logged; anyone who can read it (this user,
// root, a backup of the folder) has the secrets, which is what the warning in `status`, the serve
// banner and the dashboard says.

export const SECRETS_FILE = 'secrets.json';

const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

export class FileSecretStore implements SecretStore {
  readonly file: string;
  readonly #log: (line: string) => void;

  constructor(dataDir: string, options: { log?: (line: string) => void } = {}) {
    this.file = path.join(dataDir, SECRETS_FILE);
    this.#log = options.log ?? (() => {});
  }

  /** True when a secrets file exists (secrets were kept here before). */
  exists(): boolean {
    return fs.existsSync(this.file);
  }

  async get(name: string): Promise<string | null> {
    checkName(name);
    return this.#read()[name] ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    if (typeof value !== 'string') throw new TypeError('secret value must be a string');
    this.#write({ ...this.#read(), [name]: value });
  }

  async delete(name: string): Promise<boolean> {
    checkName(name);
    const secrets = this.#read();
    if (!(name in secrets)) return false;
    delete secrets[name];
    this.#write(secrets);
    return true;
  }

  #read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(
        `Cannot read the secrets file ${this.file} (${(error as NodeJS.ErrnoException).code}).`,
      );
    }
    this.#tightenMode();
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      // The parser's message would quote the file's content: say only what is wrong.
      throw new Error(
        `The secrets file ${this.file} is damaged (not the JSON Porthole writes). Move it away to start over ` +
          '(Porthole makes new keys; connected clients must connect again, and the GitHub secret must be set again).',
      );
    }
    return { ...parsed.secrets };
  }

  #write(secrets: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.file, `${JSON.stringify({ version: 1, secrets }, null, 2)}\n`, 0o600);
  }

  /** A copy or restore may have widened the file's mode: narrow it back, and say so. */
  #tightenMode(): void {
    if (process.platform === 'win32') return; // ACLs, not mode bits, protect files there
    const mode = fs.statSync(this.file).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    fs.chmodSync(this.file, 0o600);
    this.#log(
      `secrets: ${this.file} was readable by others (mode ${mode.toString(8)}); it is now readable by you only`,
    );
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name === '') throw new TypeError('secret name must be a non-empty string');
}
