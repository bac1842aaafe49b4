// Every public route, in the order a request meets them, behind the listener's own checks
// (Host, Origin, body limits: server/http.ts).
import type { Express } from 'express';
import type { ActivityLog } from '../activity/index.ts';
import type { GitHubAppSetup } from '../github/app-setup.ts';
import type { Library } from '../library/library.ts';
import { mountMcp } from '../mcp/routes.ts';
import type { SettingsFile } from '../settings.ts';
import { mountViewer } from '../viewer/routes.ts';
import type { AuthSlot } from './auth-slot.ts';

export interface PublicRouteParts {
  library: Library;
  settings: SettingsFile;
  activity: ActivityLog;
  auth: AuthSlot;
  /** The one-click GitHub App setup's pages (loopback only; they work before any GitHub app exists). */
  appSetup: GitHubAppSetup;
  /** The public base URL (the tunnel's, else loopback). */
  baseUrl: () => string;
  log: (line: string) => void;
}

export type McpRoutes = ReturnType<typeof mountMcp>;

export function mountPublicRoutes(app: Express, parts: PublicRouteParts): McpRoutes {
  const { library, auth, log } = parts;
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  parts.appSetup.mount(app);
  // First the authorization server, whose paths (/.well-known/*, /token, /consent/…) are its own.
  app.use(auth.routes);
  const mcp = mountMcp(app, {
    // Searches run on the library's search thread, off the event loop.
    source: { search: (query, opts) => library.searchAsync(query, opts), read: (id) => library.fetch(id) },
    baseUrl: parts.baseUrl,
    paused: () => parts.settings.get().paused,
    record: (entry) => parts.activity.record(entry),
    authenticate: auth.authenticate,
    log,
  });
  mountViewer(app, {
    read: (id) => library.read(id),
    readPdf: async (id) => {
      const doc = await library.read(id);
      return doc.kind === 'pdf' ? { bytes: await library.readOriginal(id), title: doc.title } : null;
    },
    authorizeViewer: auth.authorizeViewer,
    log,
  });
  return mcp;
}
