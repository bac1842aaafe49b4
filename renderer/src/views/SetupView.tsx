import { type ReactNode, useState } from 'react';
import { AddFolder } from '../components/AddFolder.tsx';
import { ChatGptGuide } from '../components/ChatGptGuide.tsx';
import { ConnectorUrl } from '../components/ConnectorUrl.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ExternalLink } from '../components/ExternalLink.tsx';
import { GitHubAppForm, GitHubHostFields } from '../components/GitHubAppForm.tsx';
import { GitHubAppOneClick } from '../components/GitHubAppOneClick.tsx';
import { Icon } from '../components/Icon.tsx';
import { SignInButton, SignInProgress, useSignIn } from '../components/SignIn.tsx';
import { Avatar } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { folderDisplayNames } from '../lib/folders.ts';
import { hostFromState, newAppUrl } from '../lib/github.ts';
import { type SetupStep, setupProgress, setupSteps } from '../lib/setup.ts';
import { ViewHeader } from './ViewHeader.tsx';

function Step({
  step,
  index,
  children,
  done,
}: {
  step: SetupStep;
  index: number;
  children: ReactNode;
  done?: ReactNode;
}) {
  const titleId = `step-title-${step.id}`;
  return (
    <li className={`step step-${step.status}`} data-testid={`setup-step-${step.id}`}>
      <div className="step-marker" aria-hidden="true">
        {step.status === 'done' ? <Icon name="check" size={16} /> : index + 1}
      </div>
      <div className="step-content">
        <h2 className="step-title" id={titleId}>
          {step.title}
          <span className="visually-hidden">
            {step.status === 'done' ? ' (done)' : step.status === 'current' ? ' (next)' : ''}
          </span>
        </h2>
        {step.status === 'done' && done ? (
          <div className="step-summary">{done}</div>
        ) : step.status === 'blocked' ? (
          <p className="muted">{step.blockedBy}</p>
        ) : (
          <div className="step-body">{children}</div>
        )}
      </div>
    </li>
  );
}

function CopyRow({ label, value }: { label: string; value: string }) {
  return (
    <div className="copy-row">
      <dt>{label}</dt>
      <dd>
        <code className="inline-code">{value}</code>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} compact />
      </dd>
    </div>
  );
}

export function SetupView() {
  const { connector, urlCopied, navigate } = useApp();
  const github = connector.auth.github;
  const steps = setupSteps(connector, { urlCopied });
  const progress = setupProgress(steps);
  const [host, setHost] = useState(() => hostFromState(github.webUrl, github.apiUrl));
  const signIn = useSignIn();
  const owner = connector.auth.owner;
  const complete = progress.done === progress.total;
  const byId = Object.fromEntries(steps.map((step) => [step.id, step])) as Record<SetupStep['id'], SetupStep>;

  return (
    <>
      <ViewHeader
        title="Set up Porthole"
        subtitle="Five steps, once. Porthole then answers ChatGPT for your GitHub account only."
        actions={
          <p className="setup-progress">
            <span className="setup-progress-text">
              {progress.done} of {progress.total} done
            </span>
            <span className="setup-progress-bar" aria-hidden="true">
              <span style={{ width: `${(progress.done / progress.total) * 100}%` }} />
            </span>
          </p>
        }
      />

      <ol className="steps">
        <Step
          step={byId['create-app']}
          index={0}
          done={
            <p className="muted">
              Using the {github.kind === 'github-app' ? 'GitHub App' : 'OAuth App'}{' '}
              <code className="inline-code">{github.clientId}</code> on {github.webUrl}.
            </p>
          }
        >
          <GitHubAppOneClick host={host} />
          <details className="disclosure" data-testid="github-manual">
            <summary>
              <Icon name="chevronDown" className="disclosure-icon" />
              Or create an OAuth App by hand
            </summary>
            <div className="disclosure-body">
              <p>
                Porthole signs you in through your own GitHub OAuth App, so no one else’s server sits in
                between. On GitHub, register a new OAuth application with these values, then paste its client
                ID and secret in step 2:
              </p>
              <dl className="copy-table">
                <CopyRow label="Application name" value={github.setup.applicationName} />
                <CopyRow label="Homepage URL" value={github.setup.homepageUrl} />
                <CopyRow label="Callback URL" value={github.setup.callbackUrl} />
              </dl>
              <p className="field-hint">
                GitHub calls the callback “Authorization callback URL”. Leave “Enable Device Flow” off.
              </p>
              <div className="step-actions">
                <ExternalLink
                  href={newAppUrl(host, github.setup.newAppUrl)}
                  className="button button-primary"
                >
                  Open GitHub’s form
                </ExternalLink>
              </div>
            </div>
          </details>
          <details className="disclosure" open={host.enterprise}>
            <summary>
              <Icon name="chevronDown" className="disclosure-icon" />
              Using GitHub Enterprise Server?
            </summary>
            <div className="disclosure-body">
              <GitHubHostFields host={host} onChange={setHost} />
            </div>
          </details>
        </Step>

        <Step
          step={byId.credentials}
          index={1}
          done={
            <p className="muted">
              {github.kind === 'github-app'
                ? 'Saved by the one-click setup: nothing to paste.'
                : 'Client ID and secret saved.'}
            </p>
          }
        >
          <p>
            With the one-click setup there is nothing to paste: this step completes by itself. For an OAuth
            App made by hand, GitHub shows its <strong>Client ID</strong>; choose{' '}
            <strong>Generate a new client secret</strong> and paste both here.
          </p>
          <GitHubAppForm
            host={host}
            onHostChange={setHost}
            showHost={false}
            submitLabel="Save and continue"
          />
        </Step>

        <Step
          step={byId['sign-in']}
          index={2}
          done={
            owner && (
              <div className="owner owner-small">
                <Avatar owner={owner} size={32} />
                <p>
                  Signed in as <strong>{owner.name || owner.login}</strong>{' '}
                  <span className="muted">@{owner.login}</span>. Only this account can connect.
                </p>
              </div>
            )
          }
        >
          <p>
            The GitHub account that signs in now becomes the owner: the only account that can ever use
            Porthole.
          </p>
          <div className="step-actions">
            <SignInButton signIn={signIn} />
          </div>
          <SignInProgress signIn={signIn} />
        </Step>

        <Step
          step={byId.folder}
          index={3}
          done={
            <p className="muted">
              Sharing {[...folderDisplayNames(connector.folders).values()].join(', ')}.{' '}
              <button type="button" className="link-button" onClick={() => navigate('folders')}>
                Manage folders
              </button>
            </p>
          }
        >
          <p>Choose a folder ChatGPT may search and read. You can add more later.</p>
          <AddFolder compact />
        </Step>

        <Step step={byId.connect} index={4}>
          <ConnectorUrl />
          <ChatGptGuide />
        </Step>
      </ol>

      <div className={complete ? 'setup-finish setup-finish-done' : 'setup-finish'}>
        <p>
          {complete
            ? 'All set. ChatGPT can now search your folders, for your GitHub account only.'
            : 'You can come back to the remaining steps at any time.'}
        </p>
        <button
          type="button"
          className={complete ? 'button button-primary' : 'button button-secondary'}
          onClick={() => navigate('status')}
        >
          {complete ? 'Done' : 'Finish later'}
        </button>
      </div>
    </>
  );
}
