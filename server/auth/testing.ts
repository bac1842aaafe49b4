// Test helpers for the authorization flow.

/** A browser: follows redirects by hand with a cookie jar, until the client's redirect_uri. */
export class Browser {
  private cookies = new Map<string, string>();

  /** Stops at the first redirect to `stopAt` (the OAuth client's redirect_uri). */
  constructor(
    private readonly stopAt: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async go(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 20; hop++) {
      if (current.startsWith(this.stopAt)) return { url: current, status: 0, body: '' };
      const res = await this.fetchImpl(current, {
        ...request,
        redirect: 'manual',
        headers: { ...request.headers, cookie: this.cookieHeader(current) },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        this.cookies.set(`${new URL(current).host}|${name}`, value.join('='));
      }
      const location = res.headers.get('location');
      if (!location) return { url: current, status: res.status, body: await res.text() };
      current = new URL(location, current).toString();
      request = {};
    }
    throw new Error('too many redirects');
  }

  /** The Cookie header this browser would send to `url`. */
  cookieHeader(url: string): string {
    const host = new URL(url).host;
    return [...this.cookies]
      .filter(([k]) => k.startsWith(`${host}|`))
      .map(([k, v]) => `${k.split('|')[1]}=${v}`)
      .join('; ');
  }
}
