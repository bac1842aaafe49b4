import { useState } from 'react';
import { openExternal, useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { type GitHubHost, resolveHost } from '../lib/github.ts';
import { ExternalLink } from './ExternalLink.tsx';
import { Icon } from './Icon.tsx';
import { ErrorText, Spinner, TextField } from './ui.tsx';

/**
 * One-click setup: Porthole opens a page that sends GitHub a ready-made app (no permissions, no
 * webhook); the person presses "Create GitHub App" there and comes back with nothing to paste.
 */
export function GitHubAppOneClick({ host }: { host: GitHubHost }) {
  const { bridge, connector } = useApp();
  const oneClick = connector.auth.github.oneClick;
  const [organization, setOrganization] = useState('');
  const [lastUrl, setLastUrl] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);
  const action = useAction(async () => {
    const urls = resolveHost(host);
    if ('error' in urls) throw new Error(urls.error);
    const org = organization.trim();
    const { url } = await bridge.beginGitHubAppSetup({ ...urls, ...(org ? { organization: org } : {}) });
    setLastUrl(url);
    setBlocked(!(await openExternal(bridge, url)));
  });

  return (
    <div className="one-click" data-testid="github-one-click">
      <p>
        Porthole asks GitHub to create a private GitHub App that belongs to you. It needs{' '}
        <strong>no permissions</strong> and has no webhook: it only tells Porthole who signs in.
      </p>
      <div className="step-actions">
        <button
          type="button"
          className="button button-github"
          onClick={() => void action.run()}
          disabled={action.pending}
        >
          {action.pending ? <Spinner size={14} /> : <Icon name="github" />}
          Create GitHub App (one click)
        </button>
      </div>
      <details className="disclosure">
        <summary>
          <Icon name="chevronDown" className="disclosure-icon" />
          Create it in an organization
        </summary>
        <div className="disclosure-body">
          <TextField
            label="Organization"
            value={organization}
            onChange={setOrganization}
            placeholder="my-org"
            hint="You must be allowed to create GitHub Apps in it. Leave empty for your own account."
          />
        </div>
      </details>
      {oneClick.state === 'waiting' && (
        <div className="signin-wait" role="status">
          <Spinner size={16} />
          <div>
            <p className="signin-wait-title">Waiting for GitHub…</p>
            <p className="muted">
              In your browser, press “Continue to GitHub”, then “Create GitHub App”.
              {lastUrl && !blocked && (
                <>
                  {' '}
                  <ExternalLink href={lastUrl}>Open the page again</ExternalLink>
                </>
              )}
            </p>
          </div>
        </div>
      )}
      {blocked && lastUrl && (
        <p className="callout callout-info">
          <Icon name="info" size={18} />
          <span>
            The browser blocked the new tab. <ExternalLink href={lastUrl}>Open the setup page</ExternalLink>
          </span>
        </p>
      )}
      {oneClick.state === 'error' && <ErrorText>{oneClick.message ?? 'The setup did not finish.'}</ErrorText>}
      <ErrorText>{action.error}</ErrorText>
    </div>
  );
}
