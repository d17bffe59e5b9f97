/**
 * The renderer's Content-Security-Policy, shared by both shells: only our own
 * scripts and styles, no eval, no remote content, WebSocket only back to the
 * page's own origin (the browser shell's host). `data:` images carry QR codes
 * and previews the host renders.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:*",
  "media-src 'self' blob: data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
