import type { ActivityInput } from '../activity/index.ts';
import type { AuthEvent } from './interactions.ts';

const SUMMARIES = {
  consent: 'approved',
  token: 'token issued',
  refresh: 'token refreshed',
  revoked: 'access revoked',
} as const;

/** The activity log's line for a consent, a denial, a token issued or refreshed, a grant revoked. */
export function authEntry(event: AuthEvent): ActivityInput {
  const denied = event.type === 'denied';
  return {
    kind: 'auth',
    client: { id: event.clientId, name: event.clientName },
    login: event.login,
    method: event.type,
    tool: null,
    summary: denied ? event.reason : SUMMARIES[event.type],
    outcome: denied ? { ok: false, error: event.reason } : { ok: true },
    latencyMs: null,
  };
}
