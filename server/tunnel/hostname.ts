// The public hostname of a named tunnel, however it was pasted: the one check used both when a
// person saves it (Settings) and when the supervisor starts cloudflared, so the two never disagree.

/** RFC 1035: a label is 1 to 63 letters, digits or hyphens, neither first nor last a hyphen. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** RFC 1035: at most 253 characters, written without the trailing dot. */
const MAX_HOSTNAME_LENGTH = 253;

/**
 * `example.com`, `https://Example.com/mcp`, `example.com/`, `example.com:443` → `example.com`;
 * null when what is left is not a DNS name with at least two labels. IP literals are refused:
 * Cloudflare routes a named tunnel to a hostname, never to an address (and a top-level label is
 * never all digits).
 */
export function normalizeHostname(input: string | null | undefined): string | null {
  const value = (input ?? '')
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:443$/, '');
  if (!value || value.length > MAX_HOSTNAME_LENGTH) return null;
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  return /^\d+$/.test(labels.at(-1) ?? '') ? null : value;
}
