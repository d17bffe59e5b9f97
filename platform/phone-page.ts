import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatHhmm, hallLocalTime } from '../electron/common/hall-time.js';
import type { Logger } from '../electron/host/logging/logger.js';
import { REPLY_PAGE_TOKEN, replyPageKey } from '../platform-contract/contract.js';
import { FEEDBACK_CATEGORY_NAMES } from '../platform-contract/kinds.js';
import type { Consultation, ReplyStore } from './replies.js';
import { PAGE_SECURITY_HEADERS } from '../electron/host/http/server-limits.js';

/**
 * The citizen's phone page behind the QR on her consultation slip:
 * `GET /m/consultations/<token>`. Protection:
 * - the token is 32 random bytes made by the kiosk and printed only on her
 *   slip; the platform holds only its SHA-256 (`replyPageKey` in the record),
 *   so neither its database, its logs nor the review pages can rebuild a link;
 * - the page shows no more than the slip: the kind, the category, the day it
 *   arrived, whether it is answered, and the answer — never her text, name or
 *   phone;
 * - rate limits per client address (`PhonePageLimiter`): a few dozen pages a
 *   minute, and a handful of unknown tokens per 10 minutes, then 429 with
 *   Retry-After. Tokens are 256 bits, so the limit is against load and
 *   scanning noise rather than guessing.
 */
export interface PhonePageLimits {
  /** Page requests per client address per minute. */
  perMinute: number;
  /** Unknown or malformed tokens per client address per `failureWindowMs`. */
  failures: number;
  failureWindowMs: number;
  /** Addresses remembered at most (the oldest are forgotten first). */
  maxClients: number;
}

export const DEFAULT_PHONE_PAGE_LIMITS: PhonePageLimits = { perMinute: 30, failures: 10, failureWindowMs: 10 * 60_000, maxClients: 10_000 };

/** Pure (the clock is passed in): sliding windows of requests and failures per client address. */
export class PhonePageLimiter {
  private readonly clients = new Map<string, { requests: number[]; failures: number[] }>();

  constructor(private readonly limits: PhonePageLimits = DEFAULT_PHONE_PAGE_LIMITS) {}

  private entry(client: string, nowMs: number) {
    let entry = this.clients.get(client);
    if (entry === undefined) {
      if (this.clients.size >= this.limits.maxClients) {
        const oldest = this.clients.keys().next().value;
        if (oldest !== undefined) this.clients.delete(oldest);
      }
      entry = { requests: [], failures: [] };
      this.clients.set(client, entry);
    }
    entry.requests = entry.requests.filter((at) => at > nowMs - 60_000);
    entry.failures = entry.failures.filter((at) => at > nowMs - this.limits.failureWindowMs);
    return entry;
  }

  /** Counts a request; milliseconds until this client may ask again, or 0 = go ahead. */
  admit(client: string, nowMs: number): number {
    const entry = this.entry(client, nowMs);
    if (entry.failures.length >= this.limits.failures) return Math.max(1, (entry.failures[0] ?? nowMs) + this.limits.failureWindowMs - nowMs);
    if (entry.requests.length >= this.limits.perMinute) return Math.max(1, (entry.requests[0] ?? nowMs) + 60_000 - nowMs);
    entry.requests.push(nowMs);
    return 0;
  }

  fail(client: string, nowMs: number): void {
    this.entry(client, nowMs).failures.push(nowMs);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function hallDateTime(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const local = hallLocalTime(instant);
  return `${local.day} ${formatHhmm(Math.floor(local.minuteOfDay))}`;
}

function html(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:1.2rem;font-size:1.15rem;line-height:1.6;max-width:40rem}.status{font-weight:700}.reply{white-space:pre-wrap;border-left:.3rem solid #1565c0;padding-left:.8rem}</style></head>
<body>${body}</body></html>`;
}

/** The page itself: no more than her slip shows (kind, category, arrival), plus the status and the answer. */
export function phonePageHtml(found: Consultation): string {
  const what = found.kind === 'complaint' ? '投诉' : '咨询';
  const status = found.reply
    ? `<p class="status">已答复（${escapeHtml(hallDateTime(found.reply.answeredAt))}）</p><h2>答复</h2><p class="reply">${escapeHtml(found.reply.text)}</p>`
    : '<p class="status">已收到，待答复</p><p>工作人员将在 2 个工作日内答复。答复后刷新本页即可查看。</p>';
  return html(`我的${what}`, `<h1>我的${what}</h1><p>类别：${escapeHtml(FEEDBACK_CATEGORY_NAMES[found.category] ?? found.category)}</p><p>收到时间：${escapeHtml(hallDateTime(found.receivedAt))}</p>${status}`);
}

export interface PhonePageDeps {
  replies: ReplyStore;
  limiter: PhonePageLimiter;
  logger: Logger;
  now: () => Date;
}

/** Answers `GET /m/consultations/<token>`; the client address is the TCP peer (a proxy in front must keep one address per citizen, or rate-limit itself). */
export async function servePhonePage(deps: PhonePageDeps, req: IncomingMessage, res: ServerResponse, rawToken: string): Promise<void> {
  const headers = { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" };
  const client = req.socket.remoteAddress ?? 'unknown';
  const nowMs = deps.now().getTime();
  const wait = deps.limiter.admit(client, nowMs);
  if (wait > 0) {
    deps.logger.warn({ client, retryAfterSeconds: Math.ceil(wait / 1000) }, 'phone page rate-limited');
    res.writeHead(429, { ...headers, 'retry-after': String(Math.ceil(wait / 1000)) });
    res.end(html('请稍后再试', '<h1>请稍后再试</h1><p>访问过于频繁，请稍后再打开本页。</p>'));
    return;
  }
  // Tokens are base64url: nothing to decode; anything else simply does not match.
  const token = rawToken;
  const found = REPLY_PAGE_TOKEN.test(token) ? await deps.replies.byReplyPageKey(replyPageKey(token)) : undefined;
  if (found === undefined) {
    deps.limiter.fail(client, nowMs);
    // The token is never logged: only that one did not match.
    deps.logger.warn({ client, wellFormed: REPLY_PAGE_TOKEN.test(token) }, 'phone page for an unknown token');
    res.writeHead(404, headers);
    res.end(html('没有找到', '<h1>没有找到这条留言</h1><p>请核对回执上的二维码，或凭身份证在自助终端「办件查询 → 我的咨询」查看。</p>'));
    return;
  }
  res.writeHead(200, headers);
  res.end(phonePageHtml(found));
}
