import { useApp } from '../context.ts';
import { useConfirm } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';
import { SignInButton, SignInProgress, useSignIn } from './SignIn.tsx';
import { Avatar, Card } from './ui.tsx';

/** The one GitHub account that may connect, and the way to set or change it. */
export function OwnerCard() {
  const { connector, navigate } = useApp();
  const owner = connector.auth.owner;
  const signIn = useSignIn();
  const { confirm, dialog } = useConfirm();
  const waiting = connector.auth.signIn.state === 'waiting';

  const switchAccount = async () => {
    const ok = await confirm({
      title: 'Switch GitHub account?',
      body: (
        <>
          <p>
            The account you sign in with next becomes the owner. If it is not <strong>@{owner?.login}</strong>
            , every connected client is disconnected and has to connect again.
          </p>
        </>
      ),
      confirmLabel: 'Continue to GitHub',
      danger: true,
    });
    if (ok) await signIn.run();
  };

  return (
    <Card title="Owner" icon="user" labelledBy="owner-title">
      {owner ? (
        <div className="owner">
          <Avatar owner={owner} size={48} />
          <div className="owner-text">
            <p className="owner-name">{owner.name || owner.login}</p>
            <p className="muted" data-testid="owner-login">
              @{owner.login}
            </p>
          </div>
          <button
            type="button"
            className="button button-secondary"
            onClick={switchAccount}
            disabled={signIn.pending || !connector.auth.github.configured}
          >
            <Icon name="switch" />
            Switch account
          </button>
        </div>
      ) : (
        <div className="owner owner-empty">
          <span className="avatar avatar-initials avatar-empty" aria-hidden="true">
            <Icon name="user" size={22} />
          </span>
          <div className="owner-text">
            <p className="owner-name">No owner yet</p>
            <p className="muted">
              {connector.auth.github.configured ? (
                'The GitHub account that signs in becomes the only one that may connect.'
              ) : (
                <>
                  First{' '}
                  <button type="button" className="link-button" onClick={() => navigate('setup')}>
                    set up the GitHub OAuth App
                  </button>
                  .
                </>
              )}
            </p>
          </div>
          <SignInButton signIn={signIn} />
        </div>
      )}
      {owner && (
        <p className="card-note">
          <Icon name="lock" size={13} /> Only this GitHub account (by its numeric id) can get a token.
        </p>
      )}
      {(waiting || signIn.error || signIn.blocked || connector.auth.signIn.state === 'error') && (
        <div className="owner-progress">
          <SignInProgress signIn={signIn} />
        </div>
      )}
      {dialog}
    </Card>
  );
}
