import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BridgeHandle } from './bridge.ts';
import { Icon, type IconName, Logo } from './components/Icon.tsx';
import { ErrorText, Spinner } from './components/ui.tsx';
import { AppContext, type AppContextValue, useApp, type ViewId } from './context.ts';
import { useAction } from './hooks/useAction.ts';
import { type Dashboard, useDashboard } from './hooks/useDashboard.ts';
import type { ConnectionStatus } from './lib/connection.ts';
import { isBusy } from './lib/folders.ts';
import { needsSetup, setupProgress, setupSteps } from './lib/setup.ts';
import { overview } from './lib/status.ts';
import { ActivityView } from './views/ActivityView.tsx';
import { ClientsView } from './views/ClientsView.tsx';
import { FoldersView } from './views/FoldersView.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { SetupView } from './views/SetupView.tsx';
import { StatusView } from './views/StatusView.tsx';

const NAV: { id: ViewId; label: string; icon: IconName }[] = [
  { id: 'setup', label: 'Setup', icon: 'setup' },
  { id: 'status', label: 'Status', icon: 'status' },
  { id: 'folders', label: 'Folders', icon: 'folder' },
  { id: 'activity', label: 'Activity', icon: 'activity' },
  { id: 'clients', label: 'Clients', icon: 'clients' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

const VIEW_IDS = new Set<string>(NAV.map((item) => item.id));

// Step 5 ("the URL copied") is remembered by this browser, so a reload does not undo it.
const URL_COPIED_KEY = 'porthole.setup.urlCopied';

function readUrlCopied(): boolean {
  try {
    return window.localStorage.getItem(URL_COPIED_KEY) === '1';
  } catch {
    return false; // storage disabled: the step is remembered for this page only
  }
}

function rememberUrlCopied(): void {
  try {
    window.localStorage.setItem(URL_COPIED_KEY, '1');
  } catch {
    // storage disabled: nothing to do
  }
}

function viewFromHash(hash: string): ViewId | null {
  const name = hash.replace(/^#\/?/, '').split(/[?&]/)[0] ?? '';
  return VIEW_IDS.has(name) ? (name as ViewId) : null;
}

export function App({ handle }: { handle: BridgeHandle }) {
  const dashboard = useDashboard(handle);
  if (dashboard.connection === 'unauthorized') return <UnauthorizedScreen />;
  const connector = dashboard.state.connector;
  if (!connector) {
    return dashboard.state.loadError ? (
      <LoadFailedScreen message={dashboard.state.loadError} onRetry={dashboard.reloadState} />
    ) : (
      <LoadingScreen connection={dashboard.connection} />
    );
  }
  return <Shell handle={handle} dashboard={dashboard} connector={connector} />;
}

function Shell({
  handle,
  dashboard,
  connector,
}: {
  handle: BridgeHandle;
  dashboard: Dashboard;
  connector: NonNullable<Dashboard['state']['connector']>;
}) {
  const [view, setView] = useState<ViewId>(
    () => viewFromHash(window.location.hash) ?? (needsSetup(connector) ? 'setup' : 'status'),
  );
  const [urlCopied, setUrlCopied] = useState(readUrlCopied);
  const mainRef = useRef<HTMLElement>(null);
  const shownView = useRef(view);

  useEffect(() => {
    const onHash = () => {
      const next = viewFromHash(window.location.hash);
      if (next) setView(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = useCallback((next: ViewId) => {
    if (window.location.hash !== `#/${next}`) window.location.hash = `#/${next}`;
    setView(next);
  }, []);

  // A new view: its heading takes the focus, so a screen reader announces where you are.
  useEffect(() => {
    const label = NAV.find((item) => item.id === view)?.label ?? '';
    document.title = `${label} · Porthole`;
    // Not on the first render (nor its StrictMode re-run): the page just loaded.
    if (shownView.current === view) return;
    shownView.current = view;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
    mainRef.current?.scrollTo?.({ top: 0 });
  }, [view]);

  const markUrlCopied = useCallback(() => {
    setUrlCopied(true);
    rememberUrlCopied();
  }, []);
  const value = useMemo<AppContextValue>(
    () => ({
      bridge: handle.bridge,
      mode: handle.mode,
      dashboard,
      connector,
      navigate,
      urlCopied,
      markUrlCopied,
    }),
    [handle, dashboard, connector, navigate, urlCopied, markUrlCopied],
  );

  const steps = setupSteps(connector, { urlCopied });
  const progress = setupProgress(steps);
  // In the navigation until every step is done (5/5); after that, Status links to it.
  const showSetup = view === 'setup' || progress.done < progress.total;
  const indexing = connector.folders.some(isBusy);
  const summary = overview(connector);

  return (
    <AppContext.Provider value={value}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="app">
        <aside className="sidebar">
          <div className="brand">
            <Logo size={28} />
            <span className="brand-name">Porthole</span>
          </div>
          <nav aria-label="Main" className="nav">
            <ul>
              {NAV.filter((item) => item.id !== 'setup' || showSetup).map((item) => (
                <li key={item.id}>
                  <a
                    href={`#/${item.id}`}
                    className="nav-item"
                    aria-current={view === item.id ? 'page' : undefined}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(item.id);
                    }}
                  >
                    <Icon name={item.icon} size={18} />
                    <span className="nav-label">{item.label}</span>
                    {item.id === 'setup' && (
                      <span className="nav-badge" aria-hidden="true">
                        {progress.done}/{progress.total}
                      </span>
                    )}
                    {item.id === 'folders' && indexing && (
                      <span className="nav-busy" aria-hidden="true" title="Indexing">
                        <Spinner size={12} />
                      </span>
                    )}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className={`sidebar-status tone-${summary.tone}`} title={summary.detail}>
            <span className="sidebar-status-dot" aria-hidden="true" />
            <span className="sidebar-status-text">{summary.title}</span>
          </div>
        </aside>
        <main className="main" id="main" ref={mainRef} tabIndex={-1}>
          <Banners view={view} connection={dashboard.connection} retryNow={handle.connection.retryNow} />
          <div className={view === 'activity' ? 'view view-fill' : 'view'}>
            {view === 'setup' && <SetupView />}
            {view === 'status' && <StatusView />}
            {view === 'folders' && <FoldersView />}
            {view === 'activity' && <ActivityView />}
            {view === 'clients' && <ClientsView />}
            {view === 'settings' && <SettingsView />}
          </div>
        </main>
      </div>
    </AppContext.Provider>
  );
}

function Banners({
  view,
  connection,
  retryNow,
}: {
  view: ViewId;
  connection: ConnectionStatus;
  retryNow?: () => void;
}) {
  const { connector, bridge } = useApp();
  const resume = useAction(() => bridge.setPaused(false));
  return (
    <>
      {connection === 'reconnecting' && (
        <div className="banner banner-warning" role="status" data-testid="reconnecting-banner">
          <Spinner size={14} />
          <span>
            <strong>Reconnecting…</strong> Lost the connection to Porthole. What you see may be out of date.
          </span>
          {retryNow && (
            <button type="button" className="button button-small button-secondary" onClick={retryNow}>
              Retry now
            </button>
          )}
        </div>
      )}
      {connector.paused && view !== 'status' && (
        <div className="banner banner-warning" role="status">
          <Icon name="pause" size={14} />
          <span>
            <strong>Paused.</strong> Every request is refused until you resume.
          </span>
          <button
            type="button"
            className="button button-small button-primary"
            onClick={() => void resume.run()}
            disabled={resume.pending}
          >
            Resume
          </button>
          {resume.error && <ErrorText>{resume.error}</ErrorText>}
        </div>
      )}
    </>
  );
}

function CenteredScreen({ children }: { children: ReactNode }) {
  return (
    <main className="screen" id="main">
      <div className="screen-card">
        <Logo size={40} />
        {children}
      </div>
    </main>
  );
}

function LoadingScreen({ connection }: { connection: ConnectionStatus }) {
  return (
    <CenteredScreen>
      <div className="loading-inline" role="status">
        <Spinner size={18} />
        {connection === 'reconnecting'
          ? 'Porthole is not answering yet. Retrying…'
          : 'Connecting to Porthole…'}
      </div>
    </CenteredScreen>
  );
}

function LoadFailedScreen({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <CenteredScreen>
      <h1>Porthole is not answering</h1>
      <ErrorText>{message}</ErrorText>
      <button type="button" className="button button-primary" onClick={onRetry}>
        Try again
      </button>
    </CenteredScreen>
  );
}

function UnauthorizedScreen() {
  return (
    <CenteredScreen>
      <div data-testid="unauthorized" className="unauthorized">
        <h1>
          Open the link that <code className="inline-code">porthole serve</code> printed
        </h1>
        <p>
          This dashboard only opens with the private link <code className="inline-code">porthole serve</code>{' '}
          printed in your terminal when it started. It looks like:
        </p>
        <p>
          <code className="inline-code">http://127.0.0.1:PORT/#token=…</code>
        </p>
        <p className="muted">
          The link you used has no token, or it is from an earlier run: each start of Porthole makes a new
          one. Copy the whole link from the terminal, including the part after{' '}
          <code className="inline-code">#</code>.
        </p>
      </div>
    </CenteredScreen>
  );
}
