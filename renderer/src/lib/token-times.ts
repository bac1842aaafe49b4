// What the Clients view says about a client's tokens, and the choices of the token lifetime
// setting. Pure: `now` is passed in.
import { TOKEN_LIFETIME_LIMITS, type TokenLifetimes } from '../../../server/api.ts';
import { formatRelative, plural } from './format.ts';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/** "never" when the client never used its refresh token (Claude's connectors, ChatGPT in long sessions). */
export function formatLastRefresh(iso: string | null, now: number): string {
  return iso ? formatRelative(iso, now) : 'never';
}

/** "in 6 days", "in 3 h", "expired 2 h ago"; "unknown" for tokens issued before Porthole recorded it. */
export function formatAccessExpiry(iso: string | null, now: number): string {
  if (!iso) return 'unknown';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return 'unknown';
  const left = time - now;
  if (left <= 0) return `expired ${formatRelative(iso, now)}`;
  if (left < 60_000) return 'in under a minute';
  if (left < 3600_000) return `in ${Math.round(left / 60_000)} min`;
  if (left < 86_400_000) return `in ${Math.floor(left / 3600_000)} h`;
  return `in ${plural(Math.floor(left / 86_400_000), 'day')}`;
}

/** True when the access token has run out: the client must refresh or connect again. */
export function accessExpired(iso: string | null, now: number): boolean {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return !Number.isNaN(time) && time <= now;
}

/** "1 hour", "12 hours", "7 days". */
export function formatLifetime(seconds: number): string {
  return seconds % DAY_S === 0 ? plural(seconds / DAY_S, 'day') : plural(seconds / HOUR_S, 'hour');
}

const ACCESS_CHOICES = [1, 12, 24, 7 * 24, 14 * 24, 30 * 24].map((h) => h * HOUR_S);
const REFRESH_CHOICES = [1, 7, 14, 30, 60, 90].map((d) => d * DAY_S);

/** The values offered for one lifetime, shortest first; the current one is kept if it is not a preset. */
export function lifetimeChoices(kind: keyof TokenLifetimes, current: number): number[] {
  const { min, max } = TOKEN_LIFETIME_LIMITS[kind];
  const presets = kind === 'accessTokenSeconds' ? ACCESS_CHOICES : REFRESH_CHOICES;
  const values = new Set(presets.filter((s) => s >= min && s <= max));
  if (current >= min && current <= max) values.add(current);
  return [...values].sort((a, b) => a - b);
}

/** Why these lifetimes cannot be saved, or null: the same rule the connector enforces. */
export function lifetimesProblem(lifetimes: TokenLifetimes): string | null {
  if (lifetimes.refreshTokenSeconds < lifetimes.accessTokenSeconds)
    return 'The refresh token must last at least as long as the access token.';
  return null;
}
