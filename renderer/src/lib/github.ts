// GitHub.com or a GitHub Enterprise Server: the two base URLs Porthole signs in with.
import { GITHUB_COM } from '../../../server/api.ts';

export interface GitHubHost {
  enterprise: boolean;
  webUrl: string;
  apiUrl: string;
  /** The person typed the API URL: stop deriving it from the web URL. */
  apiUrlEdited: boolean;
}

export function hostFromState(webUrl: string, apiUrl: string): GitHubHost {
  const enterprise = trimSlash(webUrl) !== GITHUB_COM.webUrl;
  return {
    enterprise,
    webUrl: enterprise ? webUrl : '',
    apiUrl: enterprise ? apiUrl : '',
    apiUrlEdited: false,
  };
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** GitHub Enterprise Server serves its REST API under /api/v3 of the web host. */
export function enterpriseApiUrl(webUrl: string): string {
  const web = trimSlash(webUrl);
  return web === '' ? '' : `${web}/api/v3`;
}

export function withWebUrl(host: GitHubHost, webUrl: string): GitHubHost {
  return { ...host, webUrl, apiUrl: host.apiUrlEdited ? host.apiUrl : enterpriseApiUrl(webUrl) };
}

/** The URLs to save, or the problem with them. */
export function resolveHost(host: GitHubHost): { webUrl: string; apiUrl: string } | { error: string } {
  if (!host.enterprise) return { webUrl: GITHUB_COM.webUrl, apiUrl: GITHUB_COM.apiUrl };
  const webUrl = trimSlash(host.webUrl);
  const apiUrl = trimSlash(host.apiUrl) || enterpriseApiUrl(webUrl);
  if (!isHttpUrl(webUrl))
    return {
      error: 'Enter the web address of your GitHub Enterprise Server, like https://github.example.com.',
    };
  if (!isHttpUrl(apiUrl)) return { error: 'Enter the API address, like https://github.example.com/api/v3.' };
  return { webUrl, apiUrl };
}

/** GitHub's "Register a new OAuth application" form on the chosen host. */
export function newAppUrl(host: GitHubHost, fromState: string): string {
  if (!host.enterprise) return fromState;
  const web = trimSlash(host.webUrl);
  return isHttpUrl(web) ? `${web}/settings/applications/new` : fromState;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
