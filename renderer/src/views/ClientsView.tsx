import { useEffect, useId, useMemo } from 'react';
import type { ConnectedClient } from '../../../server/api.ts';
import { useConfirm } from '../components/ConfirmDialog.tsx';
import { Icon } from '../components/Icon.tsx';
import { EmptyState, ErrorText, Spinner } from '../components/ui.tsx';
import { useApp } from '../context.ts';
import { useAction } from '../hooks/useAction.ts';
import { useNow } from '../hooks/useNow.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { accessExpired, formatAccessExpiry, formatLastRefresh } from '../lib/token-times.ts';
import { ViewHeader } from './ViewHeader.tsx';

function clientName(client: ConnectedClient): string {
  return client.name || client.host || 'Unnamed client';
}

function lastUsedTime(client: ConnectedClient): number {
  return Date.parse(client.lastUsedAt ?? client.createdAt) || 0;
}

function ClientRow({ client, now }: { client: ConnectedClient; now: number }) {
  const { bridge, dashboard } = useApp();
  const { confirm, dialog } = useConfirm();
  const nameId = useId();
  const revoke = useAction(async () => {
    await bridge.revokeClient(client.clientId);
    dashboard.dispatch({ type: 'clientRevoked', clientId: client.clientId });
  });
  const name = clientName(client);

  const askRevoke = async () => {
    const ok = await confirm({
      title: `Revoke ${name}?`,
      body: (
        <p>
          Its access ends now: its next request is refused. To use Porthole again it has to connect again, and
          you sign in with GitHub as the owner.
        </p>
      ),
      confirmLabel: 'Revoke access',
      danger: true,
    });
    if (ok) await revoke.run();
  };

  return (
    <li className="client-row" data-testid="client-row">
      <div className="client-icon" aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </div>
      <div className="client-main">
        <h3 className="client-name" id={nameId}>
          {name}
        </h3>
        <p className="muted client-host">
          {client.host ?? client.redirectHost ?? 'unknown host'}
          {client.redirectHost && client.host && client.redirectHost !== client.host && (
            <> · returns to {client.redirectHost}</>
          )}
        </p>
        <p className="mono client-id" title={client.clientId}>
          {client.clientId}
        </p>
        <ErrorText>{revoke.error}</ErrorText>
      </div>
      <dl className="client-times">
        <div>
          <dt>Connected</dt>
          <dd title={formatDateTime(client.createdAt)}>{formatRelative(client.createdAt, now)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd title={formatDateTime(client.lastUsedAt)}>{formatRelative(client.lastUsedAt, now)}</dd>
        </div>
        <div>
          <dt>Last refresh</dt>
          <dd title={formatDateTime(client.lastRefreshAt)} data-testid="client-last-refresh">
            {formatLastRefresh(client.lastRefreshAt, now)}
          </dd>
        </div>
        <div>
          <dt>Access expires</dt>
          <dd
            title={formatDateTime(client.accessExpiresAt)}
            className={accessExpired(client.accessExpiresAt, now) ? 'muted' : undefined}
            data-testid="client-access-expires"
          >
            {formatAccessExpiry(client.accessExpiresAt, now)}
          </dd>
        </div>
      </dl>
      <div className="client-actions">
        <button
          type="button"
          className="button button-ghost-danger button-small"
          onClick={askRevoke}
          disabled={revoke.pending}
          aria-describedby={nameId}
        >
          {revoke.pending ? <Spinner size={12} /> : <Icon name="close" size={14} />}
          Revoke
        </button>
      </div>
      {dialog}
    </li>
  );
}

/** Ends every client's access at once: the button for "I think something is wrong". */
function RevokeAllButton({ count }: { count: number }) {
  const { bridge, dashboard } = useApp();
  const { confirm, dialog } = useConfirm();
  const revokeAll = useAction(async () => {
    await bridge.revokeAllClients();
    dashboard.dispatch({ type: 'clientsLoaded', clients: [] });
  });
  const ask = async () => {
    const ok = await confirm({
      title: `Revoke all ${count} clients?`,
      body: (
        <p>
          Every app's access ends now: their next requests are refused. Each one has to connect again, and you
          sign in with GitHub as the owner for each.
        </p>
      ),
      confirmLabel: 'Revoke all',
      danger: true,
    });
    if (ok) await revokeAll.run();
  };
  return (
    <>
      <button
        type="button"
        className="button button-ghost-danger"
        onClick={ask}
        disabled={revokeAll.pending}
        data-testid="revoke-all"
      >
        {revokeAll.pending ? <Spinner size={12} /> : <Icon name="close" size={14} />}
        Revoke all
      </button>
      <ErrorText>{revokeAll.error}</ErrorText>
      {dialog}
    </>
  );
}

export function ClientsView() {
  const { dashboard, navigate } = useApp();
  const { clients, clientsError } = dashboard.state;
  const now = useNow();
  const reload = dashboard.reloadClients;
  useEffect(() => {
    void reload();
  }, [reload]);
  const sorted = useMemo(
    () => (clients ? [...clients].sort((a, b) => lastUsedTime(b) - lastUsedTime(a)) : null),
    [clients],
  );

  return (
    <>
      <ViewHeader
        title="Clients"
        subtitle="Apps that connected with your GitHub account. Revoking one ends its access at once."
        actions={
          <>
            {sorted && sorted.length > 0 && <RevokeAllButton count={sorted.length} />}
            <button type="button" className="button button-secondary" onClick={() => void reload()}>
              <Icon name="refresh" />
              Refresh
            </button>
          </>
        }
      />
      {clientsError && <ErrorText>{clientsError}</ErrorText>}
      {sorted === null ? (
        !clientsError && (
          <div className="loading-inline">
            <Spinner size={18} /> Loading clients…
          </div>
        )
      ) : sorted.length === 0 ? (
        <EmptyState
          icon="clients"
          title="No clients yet"
          action={
            <button type="button" className="button button-primary" onClick={() => navigate('status')}>
              Get the connector URL
            </button>
          }
        >
          Add Porthole to ChatGPT with the connector URL. It shows up here once you have approved it.
        </EmptyState>
      ) : (
        <ul className="client-list" aria-label="Connected clients">
          {sorted.map((client) => (
            <ClientRow key={client.clientId} client={client} now={now} />
          ))}
        </ul>
      )}
    </>
  );
}
