// DNS rebinding and cross-site requests: a page on another site can make a browser send requests to
// this server (its name resolving to 127.0.0.1), so a request is served only when its Host header
// names an allowed host and its Origin header, when there is one, is an allowed host too.

/** Hosts served unless the allow-list says otherwise: the listening host and the loopback names. */
export function defaultAllowedHosts(listening: string): string[] {
  return [listening, 'localhost', '127.0.0.1', '[::1]'];
}

/** A host as compared: lower case, without port, IPv6 in brackets. */
function normalHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  // A bare IPv6 address (a listening host given as ::1) has more than one colon.
  if (h.split(':').length > 2) return `[${h}]`;
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

export class HostCheck {
  private readonly allowed: Set<string>;
  private readonly any: boolean;

  /** `*` in the list allows every host (behind a proxy that checks them). */
  constructor(hosts: readonly string[]) {
    this.any = hosts.includes('*');
    this.allowed = new Set(hosts.map(normalHost));
  }

  /** Whether a Host header names an allowed host (a request without one is not served). */
  hostAllowed(host: string | undefined): boolean {
    if (this.any) return true;
    return host !== undefined && this.allowed.has(normalHost(host));
  }

  /**
   * Whether an Origin header (absent: same-origin navigation or a non-browser client) is allowed. A browser
   * posting a form of these pages sends `null` (they set the no-referrer policy); its Sec-Fetch-Site, which no
   * page can set, then says whether the form was this site's own.
   */
  originAllowed(origin: string | undefined, fetchSite?: string | string[]): boolean {
    if (origin === undefined || this.any) return true;
    if (origin === 'null' && fetchSite === 'same-origin') return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && this.allowed.has(normalHost(url.host));
    } catch {
      // `null` (a sandboxed or file page) and anything unparsable.
      return false;
    }
  }
}
