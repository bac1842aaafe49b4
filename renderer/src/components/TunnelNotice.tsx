import { useState } from 'react';
import { useApp } from '../context.ts';
import { CopyButton } from './CopyButton.tsx';
import { Callout } from './ui.tsx';

// What the Status screen says about the public URL: that it changed since the last run (with the new
// one to copy), and whether it stays the same across restarts.

const DISMISSED_KEY = 'porthole.urlChangeSeen';
// Inline: a long URL must wrap on a narrow window rather than be cut, and the rows keep a gap.
const WRAP = { overflowWrap: 'anywhere' } as const;
const ROW = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, margin: '8px 0' } as const;

/** "The connector URL changed": on the first screen until the person says they updated ChatGPT. */
export function UrlChangedNotice() {
  const { connector, navigate } = useApp();
  const { tunnel, mcpUrl } = connector;
  const [dismissed, setDismissed] = useState(() => readDismissed());
  if (!tunnel.previousUrl || !mcpUrl || tunnel.state !== 'connected' || dismissed === mcpUrl) return null;
  const dismiss = () => {
    writeDismissed(mcpUrl);
    setDismissed(mcpUrl);
  };
  return (
    <div className="url-changed" data-testid="url-changed" style={{ marginBottom: 16 }}>
      <Callout
        tone="warning"
        title="The connector URL changed since the last run: copy the new one into ChatGPT"
      >
        <p>
          ChatGPT still has{' '}
          <code className="inline-code" style={WRAP}>
            {tunnel.previousUrl}/mcp
          </code>
          . In ChatGPT, open Settings → Apps & Connectors and edit Porthole (or create it again) with:
        </p>
        <div style={ROW}>
          <code className="inline-code" style={WRAP} data-testid="url-changed-new">
            {mcpUrl}
          </code>
          <CopyButton text={mcpUrl} label="Copy the new connector URL" compact />
        </div>
        {!tunnel.stable && (
          <p>
            This happens at every start with a quick tunnel.{' '}
            <button type="button" className="link-button" onClick={() => navigate('settings')}>
              Choose a stable URL
            </button>{' '}
            (ngrok’s free static domain or Tailscale Funnel) to stop it.
          </p>
        )}
        <div style={ROW}>
          <button type="button" className="button button-secondary button-small" onClick={dismiss}>
            I updated ChatGPT
          </button>
        </div>
      </Callout>
    </div>
  );
}

/** Whether the URL stays the same when Porthole restarts; with a quick tunnel, the stable options. */
export function TunnelStability() {
  const { connector, navigate } = useApp();
  const { tunnel } = connector;
  if (tunnel.mode === 'off' || !tunnel.publicUrl) return null;
  if (tunnel.stable)
    return (
      <p className="card-note" data-testid="url-stable">
        Stable URL: it stays the same when Porthole restarts, so ChatGPT needs it only once.
      </p>
    );
  return (
    <Callout
      tone="warning"
      title="This address changes when Porthole restarts"
      action={
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => navigate('settings')}
        >
          Choose a stable URL
        </button>
      }
    >
      <span data-testid="url-not-stable">
        Quick tunnels get a new name at every start, and ChatGPT then needs the new URL. For one URL for good,
        use a free ngrok static domain or Tailscale Funnel (or a Cloudflare named tunnel on your domain) in
        Settings.
      </span>
    </Callout>
  );
}

function readDismissed(): string | null {
  try {
    return window.localStorage.getItem(DISMISSED_KEY);
  } catch {
    return null;
  }
}

function writeDismissed(url: string): void {
  try {
    window.localStorage.setItem(DISMISSED_KEY, url);
  } catch {
    // Storage refused (private mode): the notice hides for this window only.
  }
}
