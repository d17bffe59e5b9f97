/**
 * Reading a request's target (`GET /a%20b?x=1`) without ever throwing.
 * `new URL(req.url, base)` throws on targets such as `//` or `//@` (parsed as
 * a scheme-relative URL with an empty host) and `decodeURIComponent` throws on
 * `%` or overlong UTF-8 (`%c0%ae`); a throw inside a server's request or
 * upgrade handler takes the whole process down. Every server parses through
 * here and answers 400 when it gets `undefined`.
 */
export interface RequestTarget {
  /** The raw (still percent-encoded) path, always starting with `/`. */
  readonly pathname: string;
  /** The query string including its `?`, or ''. */
  readonly search: string;
  readonly searchParams: URLSearchParams;
}

/** The longest target any Liuliu server accepts; Node's own header limit is 16 KiB. */
export const MAX_TARGET_LENGTH = 8192;

export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  // Origin-form only (RFC 9112 §3.2.1): absolute-form and `*` have no business here.
  if (raw === undefined || raw.length === 0 || raw.length > MAX_TARGET_LENGTH || raw[0] !== '/') return undefined;
  let url: URL;
  try {
    // Prefixing a fixed origin makes `//host/x` a path, never an authority.
    url = new URL(`http://target.invalid${raw}`);
  } catch {
    return undefined;
  }
  if (url.host !== 'target.invalid') return undefined;
  return { pathname: url.pathname, search: url.search, searchParams: url.searchParams };
}

/**
 * Percent-decodes a path, or `undefined` when it is not valid UTF-8
 * percent-encoding or decodes to a NUL or a backslash (both only ever used to
 * confuse path checks).
 */
export function decodeRequestPath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  return decoded;
}
