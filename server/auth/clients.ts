import type { AdapterPayload } from 'oidc-provider';
import type { ConnectedClient } from '../api.ts';
import type { ClientTokenTimes } from './client-token-times.ts';

/** What the dashboard lists for a client holding a grant. */
export function connectedClientFrom(row: {
  clientId: string;
  metadata: AdapterPayload | null;
  grantedAt: number;
  lastUsedAt: number;
  /** Null for a grant from before these were recorded, or before its first token. */
  tokenTimes: ClientTokenTimes | null;
}): ConnectedClient {
  const redirect = Array.isArray(row.metadata?.redirect_uris) ? String(row.metadata.redirect_uris[0]) : null;
  const name = typeof row.metadata?.client_name === 'string' ? row.metadata.client_name : null;
  return {
    clientId: row.clientId,
    name,
    // A CIMD client id is its document's URL: its host says who it is. A DCR id says nothing.
    host: hostOf(row.clientId) ?? (redirect ? hostOf(redirect) : null),
    redirectHost: redirect ? hostOf(redirect) : null,
    createdAt: new Date(row.grantedAt).toISOString(),
    lastUsedAt: new Date(row.lastUsedAt).toISOString(),
    lastCodeExchangeAt: isoOrNull(row.tokenTimes?.lastCodeExchangeAt),
    lastRefreshAt: isoOrNull(row.tokenTimes?.lastRefreshAt),
    accessExpiresAt: isoOrNull(row.tokenTimes?.accessExpiresAt),
  };
}

export function hostOf(value: string): string | null {
  const url = URL.parse(value);
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.host || null : null;
}

function isoOrNull(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}
