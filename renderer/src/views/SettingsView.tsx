import { type FormEvent, useEffect, useId, useState } from 'react';
import type { DesktopApi, TokenLifetimes } from '../../../server/api.ts';
import { API_VERSION } from '../../../server/api.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { ExternalLink } from '../components/ExternalLink.tsx';
import { GitHubAppForm } from '../components/GitHubAppForm.tsx';
import { Icon } from '../components/Icon.tsx';
import { TunnelSettings } from '../components/TunnelSettings.tsx';
import { Card, ErrorText, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { hostFromState } from '../lib/github.ts';
import { formatLifetime, lifetimeChoices, lifetimesProblem } from '../lib/token-times.ts';
import { ViewHeader } from './ViewHeader.tsx';

function GitHubSettings() {
  const { connector } = useApp();
  const github = connector.auth.github;
  const [host, setHost] = useState(() => hostFromState(github.webUrl, github.apiUrl));
  return (
    <Card title="GitHub sign-in" icon="github" labelledBy="github-title">
      <p className="card-lead">
        The {github.kind === 'github-app' ? 'GitHub App' : 'OAuth App'} Porthole signs you in with.{' '}
        {github.configured ? (
          <>
            Currently <code className="inline-code">{github.clientId}</code> on{' '}
            <code className="inline-code">{github.webUrl}</code>
            {github.appUrl ? (
              <>
                {' '}
                (<ExternalLink href={github.appUrl}>its settings on GitHub</ExternalLink>)
              </>
            ) : null}
            .
          </>
        ) : (
          'Not set up yet.'
        )}{' '}
        To change the host (GitHub Enterprise Server), enter the app’s client ID and secret again.
      </p>
      <GitHubAppForm host={host} onHostChange={setHost} showHost submitLabel="Save GitHub app" />
    </Card>
  );
}

function LifetimeSelect({
  label,
  kind,
  value,
  onChange,
}: {
  label: string;
  kind: keyof TokenLifetimes;
  value: number;
  onChange: (seconds: number) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select
        id={id}
        className="input"
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
        data-testid={`lifetime-${kind}`}
      >
        {lifetimeChoices(kind, value).map((seconds) => (
          <option key={seconds} value={seconds}>
            {formatLifetime(seconds)}
          </option>
        ))}
      </select>
    </div>
  );
}

function TokenLifetimeSettings() {
  const { connector, bridge } = useApp();
  const current = connector.auth.tokenLifetimes;
  const [draft, setDraft] = useState<TokenLifetimes>(current);
  const [saved, setSaved] = useState(false);
  const action = useAction((next: TokenLifetimes) => bridge.setTokenLifetimes(next));
  const change = (patch: Partial<TokenLifetimes>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
    action.clearError();
  };
  const unchanged =
    draft.accessTokenSeconds === current.accessTokenSeconds &&
    draft.refreshTokenSeconds === current.refreshTokenSeconds;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const problem = lifetimesProblem(draft);
    if (problem) return action.setError(problem);
    const result = await action.run(draft);
    if (result.ok) setSaved(true);
  };

  return (
    <Card title="Connections" icon="lock" labelledBy="lifetimes-title">
      <p className="card-lead" data-testid="lifetimes-why">
        How long an app stays connected without signing in again. Long access tokens are safe here: revoking
        an app in Clients cuts it off at once, since Porthole checks its access on every request.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field-grid">
          <LifetimeSelect
            label="Access token lifetime"
            kind="accessTokenSeconds"
            value={draft.accessTokenSeconds}
            onChange={(accessTokenSeconds) => change({ accessTokenSeconds })}
          />
          <LifetimeSelect
            label="Refresh token lifetime"
            kind="refreshTokenSeconds"
            value={draft.refreshTokenSeconds}
            onChange={(refreshTokenSeconds) => change({ refreshTokenSeconds })}
          />
        </div>
        <p className="field-hint">
          Some apps (Claude, ChatGPT in long chats) never use their refresh token: they reconnect when the
          access token runs out. Changes apply to the tokens issued from now on.
        </p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={action.pending || unchanged}>
            {action.pending && <Spinner size={14} />}
            Save lifetimes
          </button>
          {saved && !action.error && (
            <span className="saved-note" role="status">
              <Icon name="check" /> Saved. Apps get these lifetimes with their next token.
            </span>
          )}
        </div>
        <ErrorText>{action.error}</ErrorText>
      </form>
    </Card>
  );
}

function LaunchAtLogin({ desktop }: { desktop: DesktopApi }) {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const action = useAction(async (next: boolean) => {
    await desktop.setLaunchAtLogin(next);
    setEnabled(next);
  });
  const load = useAction(async () => setEnabled(await desktop.getLaunchAtLogin()));
  const run = load.run;
  useEffect(() => {
    void run();
  }, [run]);
  const id = useId();
  return (
    <div className="setting-row">
      <div>
        <label htmlFor={id} className="setting-title">
          Launch at login
        </label>
        <p className="muted">Start Porthole in the tray when you log in.</p>
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={enabled ?? false}
        className="switch"
        checked={enabled ?? false}
        disabled={enabled === null || action.pending}
        onChange={(event) => void action.run(event.target.checked)}
      />
      <ErrorText>{action.error ?? load.error}</ErrorText>
    </div>
  );
}

function AutoUpdate({ enabled }: { enabled: boolean }) {
  const { bridge } = useApp();
  const action = useAction((next: boolean) => bridge.setAutoUpdate(next));
  const id = useId();
  return (
    <div className="setting-row">
      <div>
        <label htmlFor={id} className="setting-title">
          Automatic updates
        </label>
        <p className="muted">
          Download new versions from GitHub Releases and install them when Porthole quits.
        </p>
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={enabled}
        className="switch"
        checked={enabled}
        disabled={action.pending}
        onChange={(event) => void action.run(event.target.checked)}
      />
      <ErrorText>{action.error}</ErrorText>
    </div>
  );
}

export function SettingsView() {
  const { connector, bridge } = useApp();
  return (
    <>
      <ViewHeader title="Settings" />
      <TunnelSettings />
      <GitHubSettings />
      <TokenLifetimeSettings />
      <Card title="App" icon="settings" labelledBy="app-title">
        {bridge.desktop && <LaunchAtLogin desktop={bridge.desktop} />}
        {bridge.desktop && <AutoUpdate enabled={connector.autoUpdate} />}
        <div className="setting-row">
          <div className="setting-grow">
            <p className="setting-title">Data folder</p>
            <p className="muted">
              Settings, the search index and the activity logs. Secrets stay in the keychain.
            </p>
            <code className="inline-code data-dir" data-testid="data-dir">
              {connector.dataDir}
            </code>
          </div>
          <CopyButton text={connector.dataDir} label="Copy data folder path" compact />
        </div>
        <p className="card-note">Porthole · control API v{API_VERSION}</p>
      </Card>
    </>
  );
}
