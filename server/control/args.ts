import { z } from 'zod';
import { CONTROL_METHODS, type ControlApi, TOKEN_LIFETIME_LIMITS } from '../api.ts';

// The positional arguments of every ControlApi method, as schemas. The types tie each schema to the
// contract in api.ts, so a change there fails to compile here until the schema follows.

export type ControlMethod = (typeof CONTROL_METHODS)[number];

const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const seconds = (limits: { min: number; max: number }) =>
  z.int().min(limits.min, `must be at least ${limits.min}`).max(limits.max, `must be at most ${limits.max}`);

type ArgsSchemas = { [M in ControlMethod]: z.ZodType<Parameters<ControlApi[M]>> };

const ARGS: ArgsSchemas = {
  getState: z.tuple([]),
  listActivity: z.tuple([z.strictObject({ limit: z.int().min(1).max(10_000).optional() }).optional()]),
  addFolder: z.tuple([text(4096)]),
  removeFolder: z.tuple([text(200)]),
  reindexFolder: z.tuple([text(200)]),
  setPaused: z.tuple([z.boolean()]),
  setAutoUpdate: z.tuple([z.boolean()]),
  beginOwnerSignIn: z.tuple([]),
  setGitHubApp: z.tuple([
    z.strictObject({
      clientId: text(200),
      clientSecret: text(500),
      webUrl: httpUrl.optional(),
      apiUrl: httpUrl.optional(),
    }),
  ]),
  setTunnel: z.tuple([
    z.strictObject({
      mode: z.enum(['quick', 'named', 'off']),
      hostname: text(253).nullable().optional(),
      token: text(4096).nullable().optional(),
    }),
  ]),
  listClients: z.tuple([]),
  revokeClient: z.tuple([text(2048)]),
  revokeAllClients: z.tuple([]),
  // Bounds checked here for a clear 400; the refresh-versus-access rule is the settings' own.
  setTokenLifetimes: z.tuple([
    z.strictObject({
      accessTokenSeconds: seconds(TOKEN_LIFETIME_LIMITS.accessTokenSeconds),
      refreshTokenSeconds: seconds(TOKEN_LIFETIME_LIMITS.refreshTokenSeconds),
    }),
  ]),
};

const PARAMS: { [M in ControlMethod]: string } = {
  getState: '',
  listActivity: '{ limit? }',
  addFolder: 'path',
  removeFolder: 'folderId',
  reindexFolder: 'folderId',
  setPaused: 'paused',
  setAutoUpdate: 'enabled',
  beginOwnerSignIn: '',
  setGitHubApp: '{ clientId, clientSecret, webUrl?, apiUrl? }',
  setTunnel: "{ mode: 'quick' | 'named' | 'off', hostname?, token? }",
  listClients: '',
  revokeClient: 'clientId',
  revokeAllClients: '',
  setTokenLifetimes: '{ accessTokenSeconds, refreshTokenSeconds }',
};

export function isControlMethod(name: string): name is ControlMethod {
  return (CONTROL_METHODS as readonly string[]).includes(name);
}

export type ParsedArgs = { ok: true; args: unknown[] } | { ok: false; message: string };

/**
 * Checks a request body `{ "args": [...] }` for `method`. A missing body or missing `args` means no
 * arguments. Messages name the argument and the rule, never the value (it may be a secret).
 */
export function parseArgs(method: ControlMethod, body: unknown): ParsedArgs {
  const usage = `${method}(${PARAMS[method]})`;
  let raw: unknown = [];
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, message: `The body must be a JSON object { "args": [...] } for ${usage}.` };
    raw = (body as { args?: unknown }).args ?? [];
  }
  if (!Array.isArray(raw)) return { ok: false, message: `"args" must be an array, for ${usage}.` };
  const result = ARGS[method].safeParse(raw);
  if (result.success) return { ok: true, args: result.data };
  const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  return { ok: false, message: `Bad arguments for ${usage}: ${problems.join('; ')}.` };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    'args',
  );
}
