// How long the public listener waits for a client, and how long it keeps an idle connection.

/**
 * A request's headers must arrive within this. Node counts from the moment the connection
 * opens, so a connection that sends nothing at all is closed after this too.
 */
export const HEADERS_TIMEOUT_MS = 10_000;

/** The whole request, body included. Responses may take longer (the legacy GET /sse stream stays open). */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * How long an idle keep-alive connection stays open. cloudflared keeps its idle origin
 * connections 90 s (`keepAliveTimeout` in its origin config) and reuses them without retrying
 * a POST, so if we closed first, a request sent on a connection we were closing would come
 * back to ChatGPT as a 502. Longer than the proxy: the proxy always closes first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;

/**
 * How often Node looks for requests past `headersTimeout`/`requestTimeout`. Its default, 30 s,
 * lets slow headers hold a socket 30 s and a slow body 60 s whatever the timeouts say.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Options for `http.createServer`. No socket inactivity timeout (`server.timeout` stays 0): it
 * would cut a quiet event stream, while these timers stop once the request has arrived.
 */
export const SERVER_TIMEOUT_OPTIONS = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
} as const;
