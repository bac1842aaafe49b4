import { useState } from 'react';
import { openExternal, useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { ExternalLink } from './ExternalLink.tsx';
import { Icon } from './Icon.tsx';
import { ErrorText, Spinner } from './ui.tsx';

/** Starts the owner sign-in and opens the page that leads to GitHub. */
export function useSignIn() {
  const { bridge } = useApp();
  const [lastUrl, setLastUrl] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);
  const action = useAction(async () => {
    const { url } = await bridge.beginOwnerSignIn();
    setLastUrl(url);
    setBlocked(!(await openExternal(bridge, url)));
  });
  return { ...action, lastUrl, blocked };
}

export type SignInAction = ReturnType<typeof useSignIn>;

/** Progress of a sign-in: waiting for GitHub, the page that could not open, what went wrong. */
export function SignInProgress({ signIn }: { signIn: SignInAction }) {
  const { connector } = useApp();
  const state = connector.auth.signIn;
  return (
    <>
      {state.state === 'waiting' && (
        <div className="signin-wait" role="status">
          <Spinner size={16} />
          <div>
            <p className="signin-wait-title">Waiting for GitHub…</p>
            <p className="muted">
              Finish signing in in your browser.
              {signIn.lastUrl && !signIn.blocked && (
                <>
                  {' '}
                  <ExternalLink href={signIn.lastUrl}>Open the sign-in page again</ExternalLink>
                </>
              )}
            </p>
          </div>
        </div>
      )}
      {signIn.blocked && signIn.lastUrl && (
        <p className="callout callout-info">
          <Icon name="info" size={18} />
          <span>
            The browser blocked the new tab.{' '}
            <ExternalLink href={signIn.lastUrl}>Open the sign-in page</ExternalLink>
          </span>
        </p>
      )}
      {state.state === 'error' && (
        <ErrorText>{state.message ?? 'The sign-in did not finish. Try again.'}</ErrorText>
      )}
      <ErrorText>{signIn.error}</ErrorText>
    </>
  );
}

export function SignInButton({ signIn }: { signIn: SignInAction }) {
  const { connector } = useApp();
  const configured = connector.auth.github.configured;
  return (
    <button
      type="button"
      className="button button-github"
      onClick={() => void signIn.run()}
      disabled={!configured || signIn.pending}
      title={configured ? undefined : 'Set up the GitHub OAuth App first'}
    >
      {signIn.pending ? <Spinner size={14} /> : <Icon name="github" />}
      Sign in with GitHub
    </button>
  );
}
