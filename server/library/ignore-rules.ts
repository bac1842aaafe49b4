import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface DefaultExclude {
  /**
   * A glob matched against every segment of a path (so an excluded folder hides everything
   * below it), case-insensitively. `*` and `?` as in .gitignore; a trailing '/' means folders only.
   */
  pattern: string;
  /** Why it is never shared, in words for the UI and README. */
  why: string;
}

/**
 * Never shared, whatever a .gitignore says. Errs toward hiding: a document left out is a
 * nuisance the person can see in the UI; a key handed to a chatbot cannot be taken back.
 * Some rows are already covered by `.*`; they are listed so the protection stays if hidden
 * files are ever made shareable, and so people recognise what is kept back.
 */
export const DEFAULT_EXCLUDES: readonly DefaultExclude[] = [
  {
    pattern: '.*',
    why: 'Hidden files and folders, where tools keep settings and logins (.ssh, .aws, .gnupg, .config…)',
  },
  { pattern: '.git', why: 'Git internals' },
  {
    pattern: '.env*',
    why: 'Environment files (.env, .env.local…), which usually hold API keys and passwords',
  },
  { pattern: '.netrc', why: 'Saved logins for curl, git and ftp' },
  { pattern: '_netrc', why: 'Saved logins for curl, git and ftp (Windows name)' },
  { pattern: '.npmrc', why: 'Package registry tokens' },
  { pattern: '.pypirc', why: 'Package registry tokens' },
  { pattern: 'node_modules/', why: 'Installed JavaScript packages, not your documents' },
  { pattern: '__pycache__/', why: 'Python bytecode cache' },
  { pattern: 'venv/', why: 'Python virtual environment, not your documents' },
  { pattern: 'id_*', why: 'SSH keys (id_rsa, id_ed25519…, and their .pub); also anything else named id_…' },
  { pattern: '*.pem', why: 'Private keys and certificates' },
  { pattern: '*.key', why: 'Private keys' },
  { pattern: '*.p8', why: 'Private keys' },
  { pattern: '*.ppk', why: 'PuTTY private keys' },
  { pattern: '*.p12', why: 'Certificate bundles with private keys' },
  { pattern: '*.pfx', why: 'Certificate bundles with private keys' },
  { pattern: '*.jks', why: 'Java keystores' },
  { pattern: '*.keystore', why: 'Java and Android keystores' },
  { pattern: '*.keytab', why: 'Kerberos keys' },
  { pattern: '*.gpg', why: 'PGP keyrings and encrypted files' },
  { pattern: '*.asc', why: 'PGP key exports' },
  { pattern: 'secring.*', why: 'PGP secret keyrings' },
  { pattern: '*.kdbx', why: 'KeePass password databases' },
  { pattern: '*.kdb', why: 'KeePass password databases' },
  { pattern: '*.keychain*', why: 'macOS keychains' },
  { pattern: '*.agilekeychain', why: '1Password vaults' },
  { pattern: '*.opvault', why: '1Password vaults' },
  { pattern: '*.psafe3', why: 'Password Safe databases' },
  { pattern: 'credentials*', why: 'Credential files (credentials.json, AWS credentials…)' },
  { pattern: 'client_secret*.json', why: 'Google OAuth client secrets' },
  { pattern: '*service?account*.json', why: 'Cloud service-account keys' },
  { pattern: 'secret.*', why: 'Files named as secrets' },
  { pattern: 'secrets.*', why: 'Files named as secrets (secrets.yaml, secrets.json…)' },
  { pattern: '*.ovpn', why: 'VPN profiles, which embed keys' },
  { pattern: '*.tfstate*', why: 'Terraform state, which stores secrets in plain text' },
  { pattern: '*.tfvars', why: 'Terraform variables, often passwords and tokens' },
  { pattern: 'wallet.dat', why: 'Cryptocurrency wallets' },
];

export type IgnoreVerdict = 'excluded' | 'gitignored' | null;

// One alternation per kind, compiled once: the walker asks about every entry of 100k-file trees.
const segmentRegExp = (patterns: string[]) =>
  new RegExp(`^(?:${patterns.map(globToRegExpSource).join('|')})$`, 'is');
const excludesAny = segmentRegExp(
  DEFAULT_EXCLUDES.filter((e) => !e.pattern.endsWith('/')).map((e) => e.pattern),
);
const excludesDirs = segmentRegExp(
  DEFAULT_EXCLUDES.filter((e) => e.pattern.endsWith('/')).map((e) => e.pattern.slice(0, -1)),
);

function globToRegExpSource(glob: string): string {
  return glob.replace(/[\\^$.|+()[\]{}*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
}

/** Whether one path segment (a file or folder name) is excluded by `DEFAULT_EXCLUDES`. */
export function isDefaultExcludedName(name: string, isDir: boolean): boolean {
  return excludesAny.test(name) || (isDir && excludesDirs.test(name));
}

// Git matches case-sensitively where the filesystem does (core.ignoreCase is set on
// case-insensitive volumes): Linux yes; macOS and Windows volumes usually not.
const GIT_IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Decides whether a path inside one shared folder is left out: by `DEFAULT_EXCLUDES`
 * ('excluded', which no .gitignore can undo) or by .gitignore files ('gitignored').
 *
 * Git semantics: a .gitignore applies to paths below its own folder, relative to it; a
 * deeper file's rules win over a shallower one's; within a file the last matching rule wins
 * (so `!` re-includes); `dir/` patterns match folders only; and nothing below an ignored
 * folder can be re-included. One knowing deviation, toward hiding: when a deeper .gitignore
 * re-includes a folder that a shallower one ignores, the shallower file still hides what
 * is inside that folder.
 *
 * Each folder's .gitignore is read (synchronously) on first need and cached, as are the
 * verdicts for folders. Call `invalidate(dir)` when a .gitignore is added, changed or removed.
 */
export class IgnoreRules {
  readonly root: string;
  /** Parsed .gitignore per folder relPath ('' is the root); null when it has none. */
  private readonly gitignores = new Map<string, Ignore | null>();
  private readonly dirVerdicts = new Map<string, IgnoreVerdict>();

  constructor(root: string) {
    this.root = root;
  }

  /**
   * `relPath` is relative to the root, '/'-separated ('\' is accepted on Windows). A path is
   * ignored when it or any folder above it is. The root itself ('') is never ignored.
   */
  isIgnored(relPath: string, isDir: boolean): IgnoreVerdict {
    const segments = splitRelPath(relPath);
    let prefix = '';
    for (let n = 1; n < segments.length; n++) {
      prefix = n === 1 ? (segments[0] as string) : `${prefix}/${segments[n - 1]}`;
      let verdict = this.dirVerdicts.get(prefix);
      if (verdict === undefined) {
        verdict = this.ownVerdict(segments, n, true);
        this.dirVerdicts.set(prefix, verdict);
      }
      if (verdict) return verdict;
    }
    return segments.length === 0 ? null : this.ownVerdict(segments, segments.length, isDir);
  }

  /**
   * Forgets the cached .gitignore of one folder (its relPath; '' for the root), or of every
   * folder when called without an argument, so the next question re-reads it.
   */
  invalidate(relDirPath?: string): void {
    if (relDirPath === undefined) this.gitignores.clear();
    else this.gitignores.delete(splitRelPath(relDirPath).join('/'));
    // Any folder's verdict may depend on the rules that changed.
    this.dirVerdicts.clear();
  }

  /** The verdict for `segments[0..n)` itself, its parent folders taken as not ignored. */
  private ownVerdict(segments: string[], n: number, isDir: boolean): IgnoreVerdict {
    if (isDefaultExcludedName(segments[n - 1] as string, isDir)) return 'excluded';
    // Deepest .gitignore first: the first one with a rule matching the path decides.
    for (let depth = n - 1; depth >= 0; depth--) {
      const rules = this.gitignoreOf(segments.slice(0, depth).join('/'));
      if (!rules) continue;
      const result = rules.test(segments.slice(depth, n).join('/') + (isDir ? '/' : ''));
      if (result.ignored) return 'gitignored';
      if (result.unignored) return null;
    }
    return null;
  }

  private gitignoreOf(relDir: string): Ignore | null {
    let rules = this.gitignores.get(relDir);
    if (rules === undefined) {
      rules = readGitignore(path.join(this.root, ...relDir.split('/'), '.gitignore'));
      this.gitignores.set(relDir, rules);
    }
    return rules;
  }
}

function readGitignore(file: string): Ignore | null {
  try {
    // Like git, a .gitignore that is a symlink is not followed.
    if (!lstatSync(file, { throwIfNoEntry: false })?.isFile()) return null;
    return ignore({ ignorecase: GIT_IGNORE_CASE }).add(readFileSync(file, 'utf8'));
  } catch {
    // Unreadable: the folder is walked without its rules; the default excludes still apply.
    return null;
  }
}

function splitRelPath(relPath: string): string[] {
  const normalized = process.platform === 'win32' ? relPath.replaceAll('\\', '/') : relPath;
  if (normalized.startsWith('/') || path.isAbsolute(normalized)) {
    throw new Error(`Expected a path relative to the shared folder, got "${relPath}".`);
  }
  const segments = normalized.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    throw new Error(`A path inside a shared folder cannot contain "..": "${relPath}".`);
  return segments;
}
