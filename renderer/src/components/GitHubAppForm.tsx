import { type FormEvent, useId, useState } from 'react';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { type GitHubHost, resolveHost, withWebUrl } from '../lib/github.ts';
import { Icon } from './Icon.tsx';
import { ErrorText, Spinner } from './ui.tsx';

/** GitHub.com, or the two addresses of a GitHub Enterprise Server. */
export function GitHubHostFields({
  host,
  onChange,
}: {
  host: GitHubHost;
  onChange: (host: GitHubHost) => void;
}) {
  const webId = useId();
  const apiId = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">GitHub host</legend>
      <div className="radio-row">
        <label className="radio">
          <input
            type="radio"
            checked={!host.enterprise}
            onChange={() => onChange({ ...host, enterprise: false })}
          />
          GitHub.com
        </label>
        <label className="radio">
          <input
            type="radio"
            checked={host.enterprise}
            onChange={() => onChange({ ...host, enterprise: true })}
          />
          GitHub Enterprise Server
        </label>
      </div>
      {host.enterprise && (
        <div className="field-grid">
          <div className="field">
            <label htmlFor={webId} className="field-label">
              Web URL
            </label>
            <input
              id={webId}
              className="input mono"
              type="url"
              value={host.webUrl}
              placeholder="https://github.example.com"
              onChange={(event) => onChange(withWebUrl(host, event.target.value))}
              spellCheck={false}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor={apiId} className="field-label">
              API URL
            </label>
            <input
              id={apiId}
              className="input mono"
              type="url"
              value={host.apiUrl}
              placeholder="https://github.example.com/api/v3"
              onChange={(event) => onChange({ ...host, apiUrl: event.target.value, apiUrlEdited: true })}
              spellCheck={false}
              autoComplete="off"
            />
          </div>
        </div>
      )}
    </fieldset>
  );
}

/** Client ID and secret of the GitHub OAuth App. The secret goes to the keychain and never comes back. */
export function GitHubAppForm({
  host,
  onHostChange,
  showHost,
  submitLabel = 'Save',
  onSaved,
}: {
  host: GitHubHost;
  onHostChange: (host: GitHubHost) => void;
  showHost: boolean;
  submitLabel?: string;
  onSaved?: () => void;
}) {
  const { bridge, connector } = useApp();
  const github = connector.auth.github;
  const [clientId, setClientId] = useState(github.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [saved, setSaved] = useState(false);
  const idId = useId();
  const secretId = useId();
  const errorId = useId();
  const action = useAction((app: Parameters<typeof bridge.setGitHubApp>[0]) => bridge.setGitHubApp(app));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const id = clientId.trim();
    if (!id) return action.setError('Paste the Client ID from the OAuth App page on GitHub.');
    if (!clientSecret.trim())
      return action.setError(
        github.configured
          ? 'Paste the client secret again: Porthole keeps it in the keychain and cannot show it.'
          : 'Paste the client secret. On GitHub, choose “Generate a new client secret” to get one.',
      );
    const urls = resolveHost(host);
    if ('error' in urls) return action.setError(urls.error);
    const result = await action.run({ clientId: id, clientSecret: clientSecret.trim(), ...urls });
    // Cleared whatever happened: a secret should not sit in the page longer than needed.
    setClientSecret('');
    if (result.ok) {
      setSaved(true);
      onSaved?.();
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={idId} className="field-label">
            Client ID
          </label>
          <input
            id={idId}
            className="input mono"
            type="text"
            value={clientId}
            onChange={(event) => setClientId(event.target.value)}
            spellCheck={false}
            autoComplete="off"
            placeholder="Ov23li…"
          />
        </div>
        <div className="field">
          <label htmlFor={secretId} className="field-label">
            Client secret
          </label>
          <input
            id={secretId}
            className="input mono"
            type="password"
            value={clientSecret}
            onChange={(event) => setClientSecret(event.target.value)}
            spellCheck={false}
            autoComplete="new-password"
            placeholder={github.configured ? 'Saved in the keychain' : ''}
            aria-describedby={`${secretId}-hint`}
          />
          <p className="field-hint" id={`${secretId}-hint`}>
            <Icon name="lock" size={12} /> Stored in the system keychain, never shown again.
          </p>
        </div>
      </div>
      {showHost && <GitHubHostFields host={host} onChange={onHostChange} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={action.pending}>
          {action.pending && <Spinner size={14} />}
          {submitLabel}
        </button>
        {saved && !action.error && (
          <span className="saved-note" role="status">
            <Icon name="check" /> Saved
          </span>
        )}
      </div>
      <ErrorText id={errorId}>{action.error}</ErrorText>
    </form>
  );
}
