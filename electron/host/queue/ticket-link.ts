import type { QueueTicketLink } from '../../contract/index.js';

/**
 * Where the QR code on a queue ticket points: `queue.publicBaseUrl`, else the
 * hall server's own URL. A phone in the hall cannot open a loopback or
 * unspecified address (127.0.0.1, localhost, ::1, 0.0.0.0), so such a base —
 * the default embedded config — gives no QR code at all rather than a dead
 * one; the staff screen shows the reason. Pure.
 */
export function ticketQrBase(base: string | undefined): QueueTicketLink {
  if (base === undefined) return { base: null, problem: 'missing' };
  let host: string;
  try {
    host = new URL(base).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return { base: null, problem: 'invalid' };
  }
  const unreachable = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0' || host === '::' || host === '';
  return unreachable ? { base: null, problem: 'loopback' } : { base: base.replace(/\/+$/, ''), problem: null };
}
