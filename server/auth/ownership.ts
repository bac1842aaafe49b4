// Who owns this Porthole: the one GitHub account (by numeric id, on one GitHub host) that
// may ever get a token. Setting, pinning and replacing the owner, and the sign-in from the
// app that does it. Every change of owner ends every grant of the one before.
import { type ActivityInput, systemEntry } from '../activity/index.ts';
import type { ConnectorState, OwnerInfo } from '../api.ts';
import type { GitHubClient, GitHubUser } from '../github/client.ts';
import type { SettingsFile } from '../settings.ts';
import type { Authorization } from './index.ts';
import { messagePage } from './pages.ts';

const SIGN_IN_TIMEOUT_MS = 10 * 60 * 1000;

export interface OwnershipOptions {
  settings: () => SettingsFile;
  auth: () => Authorization | null;
  github: () => GitHubClient | null;
  record: (entry: ActivityInput) => void;
  /** The state changed: tell the UIs. */
  changed: () => void;
}

export class Ownership {
  private signIn: ConnectorState['auth']['signIn'] = { state: 'idle', message: null };
  private signInTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OwnershipOptions) {}

  signInState(): ConnectorState['auth']['signIn'] {
    return { ...this.signIn };
  }

  /** The owner changed (or was set): every grant of the previous one ends. */
  set(next: OwnerInfo): void {
    const file = this.options.settings();
    const previous = file.get().owner;
    file.update((s) => {
      s.owner = next;
      s.ownerHost = this.githubHost();
    });
    if (previous?.id !== next.id) {
      const revoked = this.options.auth()?.revokeAllGrants() ?? 0;
      this.options.record(
        systemEntry(
          previous ? 'owner-changed' : 'owner-set',
          previous
            ? `Owner @${previous.login} replaced by @${next.login}; ${revoked} connection(s) revoked.`
            : `Owner: @${next.login}`,
        ),
      );
    }
    this.options.changed();
  }

  /** User ids are per GitHub host: on another host the owner's id names someone else. */
  dropIfOtherHost(): void {
    const file = this.options.settings();
    const { owner, ownerHost } = file.get();
    if (!owner) return;
    if (ownerHost === null) {
      // Settings from before hosts were recorded: the owner signed in on the host of then.
      file.update((s) => {
        s.ownerHost = this.githubHost();
      });
      return;
    }
    if (ownerHost === this.githubHost()) return;
    const revoked = this.options.auth()?.revokeAllGrants() ?? 0;
    file.update((s) => {
      s.owner = null;
      s.ownerHost = null;
    });
    this.options.record(
      systemEntry(
        'owner-cleared',
        `GitHub host changed from ${ownerHost} to ${this.githubHost()}: sign in again; ${revoked} connection(s) revoked.`,
      ),
    );
  }

  /** --allow-login: the login resolved to its account once, then pinned by id. */
  async pinLogin(login: string): Promise<void> {
    const owner = this.options.settings().get().owner;
    if (owner && owner.login.toLowerCase() === login.toLowerCase()) return;
    const github = this.options.github();
    if (!github)
      throw new Error(
        '--allow-login needs the GitHub OAuth App (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET).',
      );
    this.set(ownerFrom(await github.getUserByLogin(login)));
  }

  /** The sign-in from the app: the GitHub URL to open; whoever signs in becomes the owner. */
  beginSignIn(): { url: string } {
    const auth = this.options.auth();
    if (!auth) throw new Error('Set up the GitHub OAuth App first (client ID and secret).');
    const url = auth.beginSignIn(async (result, res) => {
      clearTimeout(this.signInTimer);
      if (!result.ok) {
        this.signIn = { state: 'error', message: result.reason };
        this.options.changed();
        res
          .status(400)
          .type('html')
          .send(messagePage('Sign-in failed', `${result.reason} Try again from Porthole.`));
        return;
      }
      this.signIn = { state: 'idle', message: null };
      this.set(ownerFrom(result.user));
      res
        .status(200)
        .type('html')
        .send(
          messagePage(
            `Signed in as @${result.user.login}`,
            'This GitHub account now owns this Porthole: only it can approve connections. You can close this tab.',
          ),
        );
    });
    this.signIn = { state: 'waiting', message: null };
    clearTimeout(this.signInTimer);
    this.signInTimer = setTimeout(() => {
      this.signIn = {
        state: 'error',
        message: 'The GitHub sign-in was not completed in 10 minutes. Try again.',
      };
      this.options.changed();
    }, SIGN_IN_TIMEOUT_MS);
    this.signInTimer.unref();
    this.options.changed();
    return { url };
  }

  stop(): void {
    clearTimeout(this.signInTimer);
  }

  /** The GitHub host sign-ins go to now (flags and the environment included). */
  private githubHost(): string {
    return sameHost(this.options.github()?.endpoints.webUrl ?? this.options.settings().get().github.webUrl);
  }
}

/** A GitHub web URL reduced to what identifies the host (scheme, host, port). */
function sameHost(webUrl: string): string {
  return URL.parse(webUrl)?.origin.toLowerCase() ?? webUrl;
}

function ownerFrom(user: GitHubUser): OwnerInfo {
  return { id: user.id, login: user.login, name: user.name, avatarUrl: user.avatarUrl };
}
