// settings.json in the data directory: validated on the way in and out, written atomically,
// migrated forward, and never silently lost (a bad file is moved aside, a newer one left alone).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { GITHUB_COM, TOKEN_LIFETIME_LIMITS, type TokenLifetimes } from './api.ts';
import { writeFileAtomicSync } from './fs-atomic.ts';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TEXT_BYTES } from './library/limits.ts';
import type { FolderConfig, FolderStore } from './library/types.ts';

export const SETTINGS_VERSION = 2;
export const SETTINGS_FILE = 'settings.json';

/** 32 random bytes, base64url: the key that makes document ids opaque. */
export function generateIdKey(): string {
  return randomBytes(32).toString('base64url');
}

const folderSchema = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  name: z.string(),
  addedAt: z.string(),
}) satisfies z.ZodType<FolderConfig>;

/** "1 hour", "90 days": for the messages of out-of-range lifetimes. */
export function describeDuration(seconds: number): string {
  const [n, unit] = seconds % 86_400 === 0 ? [seconds / 86_400, 'day'] : [seconds / 3600, 'hour'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const lifetime = (limits: { min: number; max: number; default: number }) =>
  z
    .int()
    .min(limits.min, `must be at least ${describeDuration(limits.min)}`)
    .max(limits.max, `must be at most ${describeDuration(limits.max)}`)
    .default(limits.default);

const ACCESS = TOKEN_LIFETIME_LIMITS.accessTokenSeconds;
const REFRESH = TOKEN_LIFETIME_LIMITS.refreshTokenSeconds;

export const DEFAULT_TOKEN_LIFETIMES: Readonly<TokenLifetimes> = Object.freeze({
  accessTokenSeconds: ACCESS.default,
  refreshTokenSeconds: REFRESH.default,
});

// Files written before this setting existed lack it and get the defaults: no migration step needed.
const tokenLifetimesSchema = z
  .object({ accessTokenSeconds: lifetime(ACCESS), refreshTokenSeconds: lifetime(REFRESH) })
  .refine((t) => t.refreshTokenSeconds >= t.accessTokenSeconds, {
    message: 'must be at least the access token lifetime',
    path: ['refreshTokenSeconds'],
  })
  .default(() => ({ ...DEFAULT_TOKEN_LIFETIMES }));

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** 0 = any free port. */
  port: z.int().min(0).max(65535).default(0),
  folders: z
    .array(folderSchema)
    .check((ctx) => {
      // Ids key the index and the document ids; two folders sharing one would mix their documents.
      const seen = new Set<string>();
      for (const [i, f] of ctx.value.entries()) {
        if (seen.has(f.id))
          ctx.issues.push({ code: 'custom', message: 'duplicate folder id', path: [i, 'id'], input: f.id });
        seen.add(f.id);
      }
    })
    .default(() => []),
  maxFileBytes: z.int().positive().default(DEFAULT_MAX_FILE_BYTES),
  maxTextBytes: z.int().positive().default(DEFAULT_MAX_TEXT_BYTES),
  // Generated on first load; changing it changes every document id, so it is persisted at once.
  idKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes, base64url')
    .default(() => generateIdKey()),
  paused: z.boolean().default(false),
  /** Desktop app: check GitHub Releases for updates (false turns it off). */
  autoUpdate: z.boolean().default(true),
  /** The only GitHub account (by numeric id) that may ever get a token. */
  owner: z
    .object({
      id: z.int().positive(),
      login: z.string().min(1),
      name: z.string().nullable().default(null),
      avatarUrl: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
  /** The GitHub host (origin) the owner's numeric id belongs to: ids are per host. */
  ownerHost: z.string().nullable().default(null),
  /** The GitHub OAuth App (its secret lives in the keychain) and GitHub's base URLs (Enterprise: change both). */
  github: z
    .object({
      webUrl: z.url().default(GITHUB_COM.webUrl),
      apiUrl: z.url().default(GITHUB_COM.apiUrl),
      clientId: z.string().nullable().default(null),
    })
    .default(() => ({ ...GITHUB_COM, clientId: null })),
  /**
   * What kind of app `github.clientId` is: 'github-app' when the one-click setup made it (a
   * manifest), with its page and registered callback URLs (GitHub Apps match them exactly);
   * 'oauth-app' when typed in by hand. Reset whenever `github` is saved.
   */
  githubRegistration: z
    .object({
      kind: z.enum(['oauth-app', 'github-app']).default('oauth-app'),
      appUrl: z.string().nullable().default(null),
      callbackUrls: z.array(z.string()).default(() => []),
    })
    .default(() => ({ kind: 'oauth-app' as const, appUrl: null, callbackUrls: [] })),
  /** The Cloudflare tunnel (a named tunnel's token lives in the keychain). */
  tunnel: z
    .object({
      mode: z.enum(['quick', 'named', 'ngrok', 'tailscale', 'off']).default('quick'),
      /** Named tunnels: the public hostname routed to this Porthole. */
      hostname: z.string().nullable().default(null),
      /** A cloudflared binary chosen by the person; else CLOUDFLARED_BIN, the bundled copy, PATH. */
      binaryPath: z.string().nullable().default(null),
      /** ngrok: the static domain (e.g. name.ngrok-free.app); its authtoken lives in the keychain. */
      ngrokDomain: z.string().nullable().default(null),
      /** The last public URL (any provider), to tell the person when the next run's differs. */
      lastPublicUrl: z.string().nullable().default(null),
    })
    .default(() => ({
      mode: 'quick' as const,
      hostname: null,
      binaryPath: null,
      ngrokDomain: null,
      lastPublicUrl: null,
    })),
  /** Lifetimes of the OAuth tokens issued to clients (ChatGPT, Claude, …), from the next issuance on. */
  tokenLifetimes: tokenLifetimesSchema,
  /**
   * Where secrets are kept: 'auto' (the OS keychain; a file of the data folder readable by this
   * user only when no keychain is reachable, or when secrets are already in that file), 'keychain'
   * (only the keychain), 'file' (only the file). `porthole serve --secrets` overrides it.
   */
  secretStorage: z.enum(['auto', 'keychain', 'file']).default('auto'),
  /** `porthole serve`: the dashboard's last port, used again next time unless taken (0 = none yet). */
  dashboardPort: z.int().min(0).max(65535).default(0),
});

export type Settings = z.infer<typeof settingsSchema>;

type Raw = Record<string, unknown>;

/**
 * migrations[n] turns a version-n object into a version-(n+1) object. Append only; never edit a
 * released step. Each step gets a plain JSON object and may assume nothing beyond its version.
 */
/** The text cut of settings version 1, when long documents were not indexed in passages. */
const OLD_DEFAULT_MAX_TEXT_BYTES = 2 * 1024 * 1024;

const migrations: ReadonlyArray<(raw: Raw) => Raw> = [
  // 0 → 1: files written before the `version` key existed; the fields themselves are unchanged.
  (raw) => ({ ...raw, version: 1 }),
  // 1 → 2: long documents are now indexed in passages and readable to the end, and the text
  // kept per document went from 2 MiB to DEFAULT_MAX_TEXT_BYTES. Every saved file holds the
  // old default (the whole settings object is written), so it is dropped to take the new
  // one; a value the person chose (anything else) is kept.
  (raw) => {
    const { maxTextBytes, ...rest } = raw;
    return { ...rest, ...(maxTextBytes === OLD_DEFAULT_MAX_TEXT_BYTES ? {} : { maxTextBytes }), version: 2 };
  },
];
if (migrations.length !== SETTINGS_VERSION)
  throw new Error('settings: one migration per version is required');

/** Keys of the file that are about the file, not settings: who wrote it. */
const WRITTEN_BY = 'writtenBy';

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** The file comes from a newer Porthole; we leave it untouched rather than lose what we cannot read. */
export class SettingsTooNewError extends SettingsError {
  override name = 'SettingsTooNewError';
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly writtenBy: string | null,
  ) {
    super(
      `${file} was written by ${writtenBy ?? 'a newer Porthole'} (settings version ${fileVersion}); ` +
        `this is Porthole ${packageJson.version}, which understands settings up to version ${SETTINGS_VERSION}. ` +
        'The file was left untouched: update Porthole, or move the file away to start with fresh settings.',
    );
  }
}

// Where the data folder is when nobody chooses: in data-dir.ts, which the CLI loads without zod.
export { defaultDataDir } from './data-dir.ts';

export interface SettingsOptions {
  /** Receives one human-readable line per notable event (file moved aside, migrated). Never secrets. */
  log?: (line: string) => void;
}

export class SettingsFile {
  readonly path: string;
  #current: Settings;
  // Keys we do not know (written by a newer minor build, or by hand): kept so a save does not drop them.
  #unknown: Raw;

  private constructor(path: string, current: Settings, unknown: Raw) {
    this.path = path;
    this.#current = deepFreeze(current);
    this.#unknown = unknown;
  }

  /** Loads (creating the directory and file if needed). Throws SettingsError when it cannot. */
  static open(dataDir: string, opts: SettingsOptions = {}): SettingsFile {
    const log = opts.log ?? ((line: string) => console.warn(line));
    const file = path.join(dataDir, SETTINGS_FILE);
    ensureWritableDir(dataDir);

    const loaded = load(file, log);
    const settings = new SettingsFile(file, loaded.settings, loaded.unknown);
    if (loaded.needsWrite) settings.#write(loaded.settings);
    return settings;
  }

  /** The current settings, frozen: change them through update(). */
  get(): Settings {
    return this.#current;
  }

  /**
   * Applies `fn` to a mutable copy (mutate it or return a new object), validates the result and
   * writes it atomically. Nothing is written or changed when validation or the write fails.
   */
  update(fn: (s: Settings) => Settings | undefined): Settings {
    const draft = structuredClone(this.#current) as Settings;
    const result = settingsSchema.safeParse(fn(draft) ?? draft);
    if (!result.success) throw new SettingsError(`Invalid settings: ${describeIssues(result.error)}`);
    this.#write(result.data);
    this.#current = deepFreeze(result.data);
    return this.#current;
  }

  #write(settings: Settings): void {
    const body = { ...this.#unknown, ...settings, [WRITTEN_BY]: `Porthole ${packageJson.version}` };
    try {
      writeFileAtomicSync(this.path, `${JSON.stringify(body, null, 2)}\n`);
    } catch (err) {
      throw notWritable(path.dirname(this.path), err);
    }
  }
}

/** Folder list persisted inside settings.json, for the library. */
export function settingsFolderStore(file: SettingsFile): FolderStore {
  return {
    load: () => file.get().folders.map((f) => ({ ...f })),
    save: (folders) => {
      file.update((s) => {
        s.folders = folders.map((f) => ({ ...f }));
      });
    },
  };
}

interface Loaded {
  settings: Settings;
  unknown: Raw;
  needsWrite: boolean;
}

function load(file: string, log: (line: string) => void): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fresh();
    throw new SettingsError(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message quotes file content; keep content (the id key) out of logs.
    return moveAside(file, 'it is not valid JSON', log);
  }
  if (!isPlainObject(raw)) return moveAside(file, 'it is not a JSON object', log);

  const version = raw.version ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return moveAside(file, `its version ${JSON.stringify(version)} is not a version number`, log);
  }
  if (version > SETTINGS_VERSION) {
    const by = raw[WRITTEN_BY];
    throw new SettingsTooNewError(file, version, typeof by === 'string' ? by : null);
  }

  let migrated: Raw = raw;
  for (let v = version; v < SETTINGS_VERSION; v++) migrated = (migrations[v] as (r: Raw) => Raw)(migrated);

  const result = settingsSchema.safeParse(migrated);
  if (!result.success) return moveAside(file, describeIssues(result.error), log);

  if (version < SETTINGS_VERSION) {
    // Keep the pre-migration file: an older Porthole can still use it if the user goes back.
    const backup = `${file}.v${version}.bak`;
    fs.copyFileSync(file, backup);
    log(
      `settings: migrated ${file} from version ${version} to ${SETTINGS_VERSION}; the old file is kept as ${backup}`,
    );
  }

  const known = new Set([...Object.keys(settingsSchema.shape), WRITTEN_BY]);
  const unknown = Object.fromEntries(Object.entries(raw).filter(([k]) => !known.has(k)));
  // Write when something was filled in that must be stable from now on (the id key) or migrated.
  return {
    settings: result.data,
    unknown,
    needsWrite: version < SETTINGS_VERSION || raw.idKey === undefined,
  };
}

function fresh(): Loaded {
  return { settings: settingsSchema.parse({ version: SETTINGS_VERSION }), unknown: {}, needsWrite: true };
}

function moveAside(file: string, reason: string, log: (line: string) => void): Loaded {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-'); // no ':' so the name is valid on Windows
  const aside = `${file}.corrupt-${stamp}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    throw new SettingsError(
      `${file} is unreadable (${reason}) and could not be moved aside: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  log(`settings: ${file} could not be used (${reason}); moved it to ${aside} and started from defaults`);
  return fresh();
}

function ensureWritableDir(dir: string): void {
  try {
    makeDirs(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw notWritable(dir, err);
  }
}

// Not mkdirSync({recursive}): on Node 20 it spins forever when mkdir answers ENOENT under an existing
// parent (seen with /proc). 0700: the folder list and the id key are nobody else's business.
function makeDirs(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    makeDirs(parent);
    fs.mkdirSync(dir, { mode: 0o700 });
  }
}

function notWritable(dir: string, err: unknown): SettingsError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new SettingsError(
    `Porthole cannot write its settings in ${dir} (${code}). ` +
      'Make sure that folder is writable by you, or choose another one with PORTHOLE_DATA_DIR.',
    { cause: err },
  );
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

function isPlainObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
