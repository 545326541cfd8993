/** One answer on the way, as a browser met it. */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
  setCookies: string[];
  body: string;
}

/**
 * Follows redirects as a browser does, keeping each host's cookies (name and value; attributes are the tests'
 * to check on the hops), so a test can walk an OAuth or OIDC sign-in hop by hop without a browser.
 */
export class CookieBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** Requests `url` and follows redirects until an answer that is none (or `stopAt` matches); every hop. */
  async walk(url: string, stopAt?: (hop: Hop) => boolean, init: RequestInit = {}): Promise<Hop[]> {
    const hops: Hop[] = [];
    let next: string | null = url;
    let request = init;
    while (next && hops.length < 20) {
      const hop = await this.request(next, request);
      hops.push(hop);
      if (stopAt?.(hop)) break;
      next = hop.location && new URL(hop.location, next).toString();
      request = {};
    }
    return hops;
  }

  async request(url: string, init: RequestInit = {}): Promise<Hop> {
    const { host } = new URL(url);
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie && { Cookie: cookie }), ...(init.headers as Record<string, string>) },
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.trim().split('=');
      if (attributes.some((one) => /^\s*max-age=0\s*$/i.test(one))) jar.delete(name);
      else jar.set(name, value.join('='));
    }
    return {
      url,
      status: response.status,
      location: response.headers.get('location'),
      setCookies,
      body: await response.text(),
    };
  }

  cookie(host: string, name: string): string | undefined {
    return this.jars.get(host)?.get(name);
  }

  forget(host: string, name: string): void {
    this.jars.get(host)?.delete(name);
  }
}
