import { type FormEvent, useId, useState } from 'react';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { type GitHubHost, resolveHost, withWebUrl } from '../lib/github.ts';
import { secretPlace } from '../lib/secret-place.ts';
import { Icon } from './Icon.tsx';
import { ErrorSummary, Spinner, TextField } from './ui.tsx';

/** GitHub.com, or the two addresses of a GitHub Enterprise Server. */
export function GitHubHostFields({
  host,
  onChange,
}: {
  host: GitHubHost;
  onChange: (host: GitHubHost) => void;
}) {
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
          <TextField
            label="Web URL"
            type="url"
            value={host.webUrl}
            placeholder="https://github.example.com"
            onChange={(webUrl) => onChange(withWebUrl(host, webUrl))}
          />
          <TextField
            label="API URL"
            type="url"
            value={host.apiUrl}
            placeholder="https://github.example.com/api/v3"
            onChange={(apiUrl) => onChange({ ...host, apiUrl, apiUrlEdited: true })}
          />
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
  const place = secretPlace(connector.secretStorage);
  const github = connector.auth.github;
  const [clientId, setClientId] = useState(github.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [saved, setSaved] = useState(false);
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
          ? `Paste the client secret again: Porthole keeps it in ${place.short} and cannot show it.`
          : 'Paste the client secret. On GitHub, choose “Generate a new client secret” to get one.',
      );
    const urls = resolveHost(host);
    if ('error' in urls) return action.setError(urls.error);
    const result = await action.run({ clientId: id, clientSecret: clientSecret.trim(), ...urls });
    // Cleared once saved: from then on it lives in the keychain only. After a failure it stays,
    // so fixing the keychain (or a typo in the ID) does not mean generating a new secret.
    if (result.ok) {
      setClientSecret('');
      setSaved(true);
      onSaved?.();
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="field-grid">
        <TextField label="Client ID" value={clientId} onChange={setClientId} placeholder="Ov23li…" />
        <TextField
          label="Client secret"
          type="password"
          value={clientSecret}
          onChange={setClientSecret}
          placeholder={github.configured ? `Saved in ${place.short}` : ''}
          hint={
            <>
              <Icon name="lock" size={12} /> Stored in {place.long}, never shown again.
            </>
          }
        />
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
      <ErrorSummary id={errorId} message={action.error} />
    </form>
  );
}
