import { type FormEvent, useId, useState } from 'react';
import { TUNNEL_LINKS, type TunnelMode } from '../../../server/api.ts';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { secretPlace } from '../lib/secret-place.ts';
import { ExternalLink } from './ExternalLink.tsx';
import { Icon } from './Icon.tsx';
import { Card, Chip, ErrorText, Spinner, TextField } from './ui.tsx';

// Settings → Tunnel: which provider gives ChatGPT its way in, with the stable ones first and what
// each one needs (an ngrok authtoken and static domain, Tailscale with Funnel, a Cloudflare token).

type Choice = Parameters<ReturnType<typeof useApp>['bridge']['setTunnel']>[0];

const OPTIONS: { mode: TunnelMode; title: string; stable: boolean; detail: string }[] = [
  {
    mode: 'ngrok',
    title: 'ngrok static domain',
    stable: true,
    detail:
      'One URL for good with a free ngrok account. Free plan: 20,000 requests and 1 GB a month; browsers see ngrok’s “You are about to visit” page once.',
  },
  {
    mode: 'tailscale',
    title: 'Tailscale Funnel',
    stable: true,
    detail:
      'https://<computer>.<tailnet>.ts.net, free, when Tailscale runs here and Funnel is enabled for your tailnet.',
  },
  {
    mode: 'named',
    title: 'Cloudflare named tunnel',
    stable: true,
    detail: 'A stable address on a domain you have on Cloudflare, from a tunnel token.',
  },
  {
    mode: 'quick',
    title: 'Quick tunnel',
    stable: false,
    detail: 'Try it now: no account. The URL changes every time Porthole starts, so ChatGPT needs it again.',
  },
  {
    mode: 'off',
    title: 'Off',
    stable: false,
    detail: 'Only apps on this computer can connect. ChatGPT cannot reach Porthole.',
  },
];

/** A paragraph of notes with links inline (.field-hint lays out as flex, which breaks sentences apart). */
const NOTE = { fontSize: 12.5, margin: 0 } as const;

const hostOf = (value: string) =>
  value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');

export function TunnelSettings() {
  const { connector, bridge } = useApp();
  const tunnel = connector.tunnel;
  const place = secretPlace(connector.secretStorage);
  const [mode, setMode] = useState<TunnelMode>(tunnel.mode);
  const [hostname, setHostname] = useState(tunnel.hostname ?? '');
  const [token, setToken] = useState('');
  const [domain, setDomain] = useState(tunnel.ngrokDomain ?? '');
  const [authtoken, setAuthtoken] = useState('');
  const [saved, setSaved] = useState(false);
  const modeId = useId();
  const action = useAction((choice: Choice) => bridge.setTunnel(choice));

  const choice = (): Choice | string => {
    if (mode === 'named') {
      const host = hostOf(hostname);
      if (!host) return 'Enter the hostname your named tunnel serves, like porthole.example.com.';
      if (!token.trim() && tunnel.mode !== 'named')
        return 'Paste the tunnel token from the Cloudflare dashboard (Zero Trust → Networks → Tunnels).';
      return { mode, hostname: host, ...(token.trim() ? { token: token.trim() } : {}) };
    }
    if (mode === 'ngrok') {
      if (!authtoken.trim() && tunnel.mode !== 'ngrok')
        return 'Paste your ngrok authtoken (ngrok dashboard → Your Authtoken).';
      if (!hostOf(domain))
        return 'Enter your ngrok domain, like your-name.ngrok-free.app (ngrok dashboard → Domains).';
      return {
        mode,
        ngrokDomain: hostOf(domain),
        ...(authtoken.trim() ? { ngrokAuthtoken: authtoken.trim() } : {}),
      };
    }
    return { mode };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const next = choice();
    if (typeof next === 'string') return action.setError(next);
    const result = await action.run(next);
    setToken('');
    setAuthtoken('');
    if (result.ok) setSaved(true);
  };

  return (
    <Card title="Tunnel" icon="cloud" labelledBy="tunnel-title">
      <p className="card-lead" data-testid="tunnel-stability">
        {tunnel.stable ? (
          <>
            <Chip tone="ok">Stable URL</Chip> Your connector URL stays the same when Porthole restarts.
          </>
        ) : (
          <>
            <Chip tone="warning">Not stable</Chip> With a quick tunnel the URL changes at every start. Pick a
            stable option below to paste it into ChatGPT once.
          </>
        )}
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend className="visually-hidden">Tunnel provider</legend>
          <div className="choice-list">
            {OPTIONS.map((option) => (
              <label key={option.mode} className={mode === option.mode ? 'choice selected' : 'choice'}>
                <input
                  type="radio"
                  name="tunnel-mode"
                  value={option.mode}
                  checked={mode === option.mode}
                  aria-labelledby={`${modeId}-${option.mode}`}
                  aria-describedby={`${modeId}-${option.mode}-detail`}
                  onChange={() => {
                    setMode(option.mode);
                    setSaved(false);
                    action.clearError();
                  }}
                />
                <span className="choice-text">
                  <span className="choice-title" id={`${modeId}-${option.mode}`}>
                    {option.title} {option.stable && <Chip tone="ok">Stable</Chip>}
                  </span>
                  <span className="choice-detail" id={`${modeId}-${option.mode}-detail`}>
                    {option.detail}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {mode === 'ngrok' && (
          <>
            <div className="field-grid">
              <TextField
                label="ngrok authtoken"
                type="password"
                value={authtoken}
                onChange={setAuthtoken}
                placeholder={tunnel.mode === 'ngrok' ? `Saved in ${place.short}` : '2abc…'}
                hint={
                  <>
                    <Icon name="lock" size={12} />{' '}
                    {tunnel.mode === 'ngrok'
                      ? 'Leave empty to keep the saved one. '
                      : `Kept in ${place.long}. `}
                    <ExternalLink href={TUNNEL_LINKS.ngrokAuthtoken}>Your authtoken</ExternalLink>
                  </>
                }
              />
              <TextField
                label="Static domain"
                value={domain}
                onChange={setDomain}
                placeholder="your-name.ngrok-free.app"
                hint={
                  <>
                    Free accounts get one (…ngrok-free.app or …ngrok-free.dev); a paid domain works too.{' '}
                    <ExternalLink href={TUNNEL_LINKS.ngrokDomains}>Your domains</ExternalLink>
                  </>
                }
              />
            </div>
            <p className="muted" style={NOTE} data-testid="ngrok-notes">
              No account yet? <ExternalLink href={TUNNEL_LINKS.ngrokSignup}>Sign up for free</ExternalLink>.
              The first time a browser opens your domain (the ChatGPT sign-in, a document link), ngrok shows
              “You are about to visit…”: choose <strong>Visit Site</strong> once.{' '}
              <ExternalLink href={TUNNEL_LINKS.ngrokLimits}>Free plan limits</ExternalLink>
            </p>
          </>
        )}
        {mode === 'tailscale' && (
          <p className="muted" style={NOTE} data-testid="tailscale-notes">
            Needs <ExternalLink href={TUNNEL_LINKS.tailscaleDownload}>Tailscale</ExternalLink> signed in on
            this computer, with HTTPS certificates and Funnel enabled for your tailnet (
            <ExternalLink href={TUNNEL_LINKS.tailscalePolicy}>tailnet policy</ExternalLink>,{' '}
            <ExternalLink href={TUNNEL_LINKS.tailscaleFunnel}>how Funnel works</ExternalLink>). Porthole adds
            its own funnel when it starts and removes it when it quits; funnels you set up stay as they are.
          </p>
        )}
        {mode === 'named' && (
          <div className="field-grid">
            <TextField
              label="Hostname"
              value={hostname}
              onChange={setHostname}
              placeholder="porthole.example.com"
            />
            <TextField
              label="Tunnel token"
              type="password"
              value={token}
              onChange={setToken}
              placeholder={tunnel.mode === 'named' ? `Saved in ${place.short}` : 'eyJh…'}
              hint={
                <>
                  <Icon name="lock" size={12} />
                  {tunnel.mode === 'named'
                    ? ' Leave empty to keep the saved token.'
                    : ` Kept in ${place.long}.`}
                </>
              }
            />
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={action.pending}>
            {action.pending && <Spinner size={14} />}
            Save tunnel
          </button>
          {saved && !action.error && (
            <span className="saved-note" role="status">
              <Icon name="check" /> Saved. The tunnel restarts with the new settings.
            </span>
          )}
        </div>
        <ErrorText>{action.error}</ErrorText>
        {tunnel.state === 'error' && tunnel.message && !action.error && (
          <p className="danger-text" data-testid="tunnel-error">
            {tunnel.message}
          </p>
        )}
      </form>
    </Card>
  );
}
