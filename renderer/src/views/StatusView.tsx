import { ChatGptGuide } from '../components/ChatGptGuide.tsx';
import { ConnectorUrl } from '../components/ConnectorUrl.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { Icon } from '../components/Icon.tsx';
import { OwnerCard } from '../components/OwnerCard.tsx';
import { SecretStorageNotice } from '../components/SecretStorageNotice.tsx';
import { TunnelStability, UrlChangedNotice } from '../components/TunnelNotice.tsx';
import { Callout, Card, Chip, ErrorText, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { formatBytes, formatCount } from '../lib/format.ts';
import {
  MISSING_TEXT,
  type Missing,
  overview,
  reachability,
  sseUrl,
  TUNNEL_MODE_LABELS,
  TUNNEL_STATE_LABELS,
  tunnelTone,
} from '../lib/status.ts';
import { ViewHeader } from './ViewHeader.tsx';

export function StatusView() {
  const { connector, bridge, navigate, dashboard } = useApp();
  const summary = overview(connector);
  const pause = useAction((paused: boolean) => bridge.setPaused(paused));
  const { server, tunnel } = connector;
  const sse = sseUrl(connector);
  const documents = connector.folders.reduce((sum, folder) => sum + folder.indexed, 0);
  const bytes = connector.folders.reduce((sum, folder) => sum + folder.bytes, 0);
  const clients = dashboard.state.clients;
  const reach = reachability(connector);

  return (
    <>
      <ViewHeader
        title="Status"
        subtitle="Whether ChatGPT can reach your folders, and the address it uses."
      />
      <UrlChangedNotice />
      <SecretStorageNotice />

      <section className={`hero tone-${summary.tone}`} aria-labelledby="hero-title">
        <div className="hero-signal" aria-hidden="true">
          <span className="hero-dot" />
        </div>
        <div className="hero-text">
          <h2 id="hero-title" className="hero-title" data-testid="overall-status">
            {summary.title}
          </h2>
          <p className="hero-detail">{summary.detail}</p>
        </div>
        <div className="hero-actions">
          <button
            type="button"
            className={connector.paused ? 'button button-primary' : 'button button-secondary'}
            onClick={() => void pause.run(!connector.paused)}
            disabled={pause.pending}
            title={connector.paused ? 'Accept requests again' : 'Refuse every request until you resume'}
          >
            {pause.pending ? <Spinner size={14} /> : <Icon name={connector.paused ? 'play' : 'pause'} />}
            {connector.paused ? 'Resume' : 'Pause'}
          </button>
        </div>
        {pause.error && (
          <div className="hero-error">
            <ErrorText>{pause.error}</ErrorText>
          </div>
        )}
      </section>

      <Card title={reach.forChatGpt ? 'Connector URL' : 'Local MCP URL'} icon="link" labelledBy="url-title">
        {reach.forChatGpt ? (
          <p className="card-lead">
            Paste this into ChatGPT. It works with every MCP client that supports OAuth.
          </p>
        ) : (
          <p className="card-lead" data-testid="local-only-lead">
            MCP clients on this computer can use this address now. It is not for ChatGPT yet.
          </p>
        )}
        <ConnectorUrl />
        {!reach.forChatGpt && (
          <Callout
            tone="info"
            title="Before ChatGPT can connect, Porthole needs:"
            action={<MissingAction missing={reach.missing} />}
          >
            <ul className="missing-list" data-testid="missing-list">
              {reach.missing.map((item) => (
                <li key={item}>{MISSING_TEXT[item]}</li>
              ))}
            </ul>
          </Callout>
        )}
        {reach.forChatGpt && <TunnelStability />}
        <details className="disclosure">
          <summary>
            <Icon name="chevronDown" className="disclosure-icon" />
            Older clients: the SSE endpoint
          </summary>
          <div className="disclosure-body">
            <p>
              <code className="inline-code">/mcp</code> works everywhere.{' '}
              <code className="inline-code">/sse</code>, the older streaming transport, needs a named tunnel
              or use on this computer: quick tunnels hold streamed responses back.
            </p>
            {sse && (
              <div className="url-box url-box-small">
                <code className="url-text" data-testid="sse-url">
                  {sse}
                </code>
                <CopyButton text={sse} label="Copy SSE URL" compact />
              </div>
            )}
          </div>
        </details>
      </Card>

      <div className="grid-2">
        <div className="stack">
          <Card title="Add it to ChatGPT" icon="setup" labelledBy="guide-title">
            <ChatGptGuide />
            <p className="card-note">
              <button type="button" className="link-button" onClick={() => navigate('setup')}>
                Open the setup steps
              </button>
            </p>
          </Card>
          <Card title="Connection" icon="server" labelledBy="connection-title">
            <dl className="facts">
              <div>
                <dt>Server</dt>
                <dd>
                  <Chip
                    tone={server.state === 'running' ? 'ok' : server.state === 'error' ? 'danger' : 'pending'}
                  >
                    {server.state === 'running'
                      ? 'Running'
                      : server.state[0]?.toUpperCase() + server.state.slice(1)}
                  </Chip>
                  {server.localUrl && <code className="inline-code">{server.localUrl}</code>}
                </dd>
              </div>
              {server.message && (
                <div>
                  <dt className="visually-hidden">Server message</dt>
                  <dd className="muted">{server.message}</dd>
                </div>
              )}
              <div>
                <dt>Tunnel</dt>
                <dd>
                  <Chip tone={tunnelTone(tunnel.state)}>{TUNNEL_STATE_LABELS[tunnel.state]}</Chip>
                  <span className="muted">{TUNNEL_MODE_LABELS[tunnel.mode]}</span>
                </dd>
              </div>
              {tunnel.publicUrl && (
                <div>
                  <dt>Public URL</dt>
                  <dd>
                    <code className="inline-code" data-testid="tunnel-url">
                      {tunnel.publicUrl}
                    </code>
                  </dd>
                </div>
              )}
              {tunnel.message && (
                <div>
                  <dt>Tunnel says</dt>
                  <dd className={tunnel.state === 'error' ? 'danger-text' : 'muted'}>{tunnel.message}</dd>
                </div>
              )}
              <div>
                <dt>Sign-in</dt>
                <dd>
                  {connector.auth.mode === 'oauth' ? (
                    <Chip tone="ok">GitHub OAuth</Chip>
                  ) : (
                    <Chip tone="warning">This computer only</Chip>
                  )}
                </dd>
              </div>
            </dl>
          </Card>
        </div>
        <div className="stack">
          <OwnerCard />
          <Card title="Shared" icon="folder" labelledBy="shared-title">
            <div className="stats">
              <div className="stat">
                <span className="stat-value">{formatCount(connector.folders.length)}</span>
                <span className="stat-label">{connector.folders.length === 1 ? 'folder' : 'folders'}</span>
              </div>
              <div className="stat">
                <span className="stat-value">{formatCount(documents)}</span>
                <span className="stat-label">documents indexed</span>
              </div>
              <div className="stat">
                <span className="stat-value">{formatBytes(bytes)}</span>
                <span className="stat-label">of files</span>
              </div>
              <div className="stat">
                <span className="stat-value">{clients ? formatCount(clients.length) : '–'}</span>
                <span className="stat-label">{clients?.length === 1 ? 'client' : 'clients'}</span>
              </div>
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}

/** The one button that leads to the first missing piece: Setup for GitHub, Settings for the tunnel. */
function MissingAction({ missing }: { missing: Missing[] }) {
  const { navigate } = useApp();
  const first = missing[0];
  if (!first) return null;
  const toSetup = first === 'github-app' || first === 'sign-in';
  return (
    <button
      type="button"
      className="button button-primary button-small"
      onClick={() => navigate(toSetup ? 'setup' : 'settings')}
    >
      {first === 'github-app'
        ? 'Set up GitHub sign-in'
        : first === 'sign-in'
          ? 'Go to sign-in'
          : 'Tunnel settings'}
    </button>
  );
}
