// Reads cloudflared's log output (stderr, zerolog console format: `<time> <LVL> <message> key=value…`)
// into the few events the supervisor acts on. Every other line is noise and yields null. The wording
// is cloudflared's own (connection/observer.go, connection/control.go, supervisor/*.go,
// cmd/cloudflared/tunnel/quick_tunnel.go, subcommands.go).

export type LogEvent =
  | { kind: 'url'; url: string }
  | { kind: 'registered'; connIndex: number; location: string | null }
  | { kind: 'disconnected'; connIndex: number }
  | { kind: 'error'; message: string; fatal: boolean };

// Colours appear when stderr is a terminal; ours is a pipe, but a wrapper script might add them.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const PREFIX = /^\S+\s+(DBG|INF|WRN|ERR|FTL|PNC)\s+/;
// The second line of the quick-tunnel box: `|  https://some-words-here.trycloudflare.com   |`.
const BOX_URL = /\|\s+(https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.trycloudflare\.com)\s*\|/i;
const REGISTERED = /\bRegistered tunnel connection\b/;
// One connection is gone (cloudflared may still bring it back by itself).
const DISCONNECTED =
  /\bUnregistered tunnel connection\b|\bConnection terminated\b|\bServe tunnel error\b|\bfailed to serve tunnel connection\b|\bLost connection with the edge\b/i;
// Retrying cannot help: the person has to change something (the token, the binary).
const FATAL = [
  /Provided Tunnel token is not valid/i,
  /requires the ID or name of the tunnel/i,
  /\bUnauthorized\b/,
  /Tunnel not found/i,
  /Incorrect Usage|flag provided but not defined/i,
];
// cloudflared prints the error that ends it without a timestamp (urfave/cli), as Go prints panics.
const PLAIN_ERROR = /^(?:panic:|fatal error:|error\b|failed\b|Incorrect Usage)|\bfailed to\b/i;
const MAX_MESSAGE = 300;

export function stripAnsi(line: string): string {
  return line.replace(ANSI, '');
}

export function parseLogLine(raw: string): LogEvent | null {
  const line = stripAnsi(raw).trim();
  if (!line) return null;
  const url = BOX_URL.exec(line);
  if (url?.[1]) return { kind: 'url', url: url[1].toLowerCase() };
  if (REGISTERED.test(line))
    return { kind: 'registered', connIndex: connIndexOf(line), location: field(line, 'location') };
  if (DISCONNECTED.test(line)) return { kind: 'disconnected', connIndex: connIndexOf(line) };

  const level = PREFIX.exec(line)?.[1];
  const fatal = FATAL.some((pattern) => pattern.test(line));
  if (fatal || level === 'ERR' || level === 'FTL' || level === 'PNC' || (!level && PLAIN_ERROR.test(line))) {
    return { kind: 'error', message: humanMessage(line), fatal };
  }
  return null;
}

function connIndexOf(line: string): number {
  const value = Number(field(line, 'connIndex'));
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

function field(line: string, name: string): string | null {
  const match = new RegExp(`\\b${name}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(line);
  if (!match?.[1]) return null;
  return match[1].startsWith('"') ? match[1].slice(1, -1).replace(/\\"/g, '"') : match[1];
}

/** `<time> ERR Serve tunnel error error="x" connIndex=0` → `Serve tunnel error: x`. */
function humanMessage(line: string): string {
  const body = line.replace(PREFIX, '');
  const firstField = body.search(/(?:^|\s)\w+=/);
  const message = (firstField >= 0 ? body.slice(0, firstField) : body).trim();
  const error = field(body, 'error');
  const text = !error || message.includes(error) ? message || body : message ? `${message}: ${error}` : error;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
