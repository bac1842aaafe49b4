import { z } from 'zod';
import {
  CONTROL_METHODS,
  type ControlApi,
  type ControlMethod,
  DESKTOP_METHODS,
  type DesktopApi,
  type DesktopMethod,
  TOKEN_LIFETIME_LIMITS,
} from './api.ts';

// What every UI command accepts: one entry per ControlApi and DesktopApi method, its positional
// arguments as a schema and how an error message names them. Both boundaries check calls here:
// the headless control listener (server/control/server.ts) and the Electron IPC handlers
// (electron/ipc.ts). The compiler holds this file to api.ts: a schema per method name, no
// more, and each schema's output exactly the method's parameters.

/** One method: its argument tuple, and the parameter names its usage line shows (`addFolder(path)`). */
interface MethodSchema {
  params: string;
  args: z.ZodType<unknown[]>;
}

const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const seconds = (limits: { min: number; max: number }) =>
  z.int().min(limits.min, `must be at least ${limits.min}`).max(limits.max, `must be at most ${limits.max}`);
const none = { params: '', args: z.tuple([]) };

export const CONTROL_SCHEMAS = {
  getState: none,
  listActivity: {
    params: '{ limit? }',
    args: z.tuple([z.strictObject({ limit: z.int().min(1).max(10_000).optional() }).optional()]),
  },
  exportActivity: none,
  addFolder: { params: 'path', args: z.tuple([text(4096)]) },
  removeFolder: { params: 'folderId', args: z.tuple([text(200)]) },
  reindexFolder: { params: 'folderId', args: z.tuple([text(200)]) },
  setPaused: { params: 'paused', args: z.tuple([z.boolean()]) },
  beginOwnerSignIn: none,
  setGitHubApp: {
    params: '{ clientId, clientSecret, webUrl?, apiUrl? }',
    args: z.tuple([
      z.strictObject({
        clientId: text(200),
        clientSecret: text(500),
        webUrl: httpUrl.optional(),
        apiUrl: httpUrl.optional(),
      }),
    ]),
  },
  beginGitHubAppSetup: {
    params: '{ webUrl?, apiUrl?, organization? }?',
    args: z.tuple([
      z
        .strictObject({
          webUrl: httpUrl.optional(),
          apiUrl: httpUrl.optional(),
          // GitHub organization names: letters, digits and single hyphens.
          organization: z
            .string()
            .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub organization name')
            .optional(),
        })
        .optional(),
    ]),
  },
  setTunnel: {
    params:
      "{ mode: 'quick' | 'named' | 'ngrok' | 'tailscale' | 'off', hostname?, token?, ngrokDomain?, ngrokAuthtoken? }",
    args: z.tuple([
      z.strictObject({
        mode: z.enum(['quick', 'named', 'ngrok', 'tailscale', 'off']),
        hostname: text(253).nullable().optional(),
        token: text(4096).nullable().optional(),
        ngrokDomain: text(253).nullable().optional(),
        ngrokAuthtoken: text(512).nullable().optional(),
      }),
    ]),
  },
  listClients: none,
  revokeClient: { params: 'clientId', args: z.tuple([text(2048)]) },
  revokeAllClients: none,
  setAutoUpdate: { params: 'enabled', args: z.tuple([z.boolean()]) },
  // Bounds checked here for a clear message; the refresh-versus-access rule is the settings' own.
  setTokenLifetimes: {
    params: '{ accessTokenSeconds, refreshTokenSeconds }',
    args: z.tuple([
      z.strictObject({
        accessTokenSeconds: seconds(TOKEN_LIFETIME_LIMITS.accessTokenSeconds),
        refreshTokenSeconds: seconds(TOKEN_LIFETIME_LIMITS.refreshTokenSeconds),
      }),
    ]),
  },
} satisfies { [M in ControlMethod]: MethodSchema };

export const DESKTOP_SCHEMAS = {
  chooseFolder: none,
  getLaunchAtLogin: none,
  setLaunchAtLogin: { params: 'enabled', args: z.tuple([z.boolean()]) },
  // Any text up to a URL's length: which links may open is openExternalChecked's rule, with its own message.
  openExternal: { params: 'url', args: z.tuple([text(4096)]) },
} satisfies { [M in DesktopMethod]: MethodSchema };

// Compile-time ties to api.ts beyond the names: each schema's output must be exactly the
// parameters of its method (a parameter added, dropped or retyped on either side fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Disagreeing<Api, Schemas extends { [M in keyof Api]: MethodSchema }> = {
  [M in keyof Api]: Api[M] extends (...args: infer P) => unknown
    ? Same<z.output<Schemas[M]['args']>, P> extends true
      ? never
      : M
    : M;
}[keyof Api];
export const CONTROL_SCHEMAS_MATCH: Disagreeing<ControlApi, typeof CONTROL_SCHEMAS> extends never
  ? true
  : Disagreeing<ControlApi, typeof CONTROL_SCHEMAS> = true;
export const DESKTOP_SCHEMAS_MATCH: Disagreeing<DesktopApi, typeof DESKTOP_SCHEMAS> extends never
  ? true
  : Disagreeing<DesktopApi, typeof DESKTOP_SCHEMAS> = true;

export type UiMethod = ControlMethod | DesktopMethod;

const SCHEMAS: Record<UiMethod, MethodSchema> = { ...CONTROL_SCHEMAS, ...DESKTOP_SCHEMAS };

export function isControlMethod(name: string): name is ControlMethod {
  return (CONTROL_METHODS as readonly string[]).includes(name);
}

export function isDesktopMethod(name: string): name is DesktopMethod {
  return (DESKTOP_METHODS as readonly string[]).includes(name);
}

/** How messages name a call: `addFolder(path)`. */
export function usage(method: UiMethod): string {
  return `${method}(${SCHEMAS[method].params})`;
}

export type CheckedArgs = { ok: true; args: unknown[] } | { ok: false; message: string };

/**
 * Checks the positional arguments of a call. Messages name the argument and the rule, never
 * the value (it may be a secret).
 */
export function checkArgs(method: UiMethod, args: unknown): CheckedArgs {
  if (!Array.isArray(args)) return { ok: false, message: `"args" must be an array, for ${usage(method)}.` };
  const result = SCHEMAS[method].args.safeParse(args);
  if (result.success) return { ok: true, args: result.data };
  const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  return { ok: false, message: `Bad arguments for ${usage(method)}: ${problems.join('; ')}.` };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    'args',
  );
}
