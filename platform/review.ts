import type { RequestTarget } from '../electron/host/http/request-target.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { maskIdNumber } from '../electron/common/pii.js';
import type { Logger } from '../electron/host/logging/logger.js';
import type { BlobStore } from './blobs.js';
import { deadlineLevel, monthlyReport, reportCsv, workingDayDeadline, REPLY_WORKING_DAYS, type DeadlineLevel, type HolidayCalendar } from './deadlines.js';
import { PhonePageLimiter, servePhonePage, type PhonePageLimits } from './phone-page.js';
import { ReplyRefusal, type ReplyStore } from './replies.js';
import { BlobHash, type CaseStatusChange } from '../platform-contract/contract.js';
import type { PlatformStore } from './store.js';
import { PAGE_SECURITY_HEADERS } from '../electron/host/http/server-limits.js';
import { sameSecret } from '../electron/host/storage/crypto.js';
import { AttemptLimiter, type AttemptLimitPolicy } from '../electron/common/attempt-limit.js';
import { TokenSessions, type SessionPolicy } from '../electron/host/staff/sessions.js';

/**
 * The reviewer's pages on the reference platform (behind the admin token):
 * the cases terminals filed, each with its scanned pages (opened from the
 * sealed blob store, hash shown beside each), and a form that sets the
 * case's status. A status set here is an ordinary case status change, so it
 * reaches the kiosk's progress view through the terminal's next sync.
 *
 *   GET  /review                          list of cases (login form without the token)
 *   POST /review/login                    token=… → a session (`TokenSessions`, electron/host/staff/sessions.ts): HttpOnly SameSite=Strict cookie with its random id, never the token; Secure over TLS
 *   POST /review/logout                   ends the session
 *   GET  /review/cases/{caseId}           one case: applicant (ID masked), materials, pages, status history, status form
 *   GET  /review/blobs/{sha256}           a page image
 *   POST /review/cases/{caseId}/status    action=pre-accepted&days=N | returned&reason=… | accepted | done
 *   GET  /review/consultations            consultations and complaints with their deadline (green / yellow / red card) and answer forms
 *   POST /review/consultations/{id}/reply  text=… (one answer per record; it reaches the kiosk with the next sync)
 *   GET  /review/report?month=YYYY-MM     monthly figures per department; /review/report.csv the same rows as CSV
 *   GET  /m/consultations/{token}         the citizen's phone page behind the QR on her slip (platform/phone-page.ts: by the hash of a 256-bit token, rate-limited)
 */
export const REVIEW_COOKIE = 'liuliu_review';

/** The reviewer's four decisions and the status words the terminal maps to its stages (electron/host/cases/rules.ts). */
export const ReviewAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pre-accepted'), days: z.coerce.number().int().min(1).max(60) }),
  z.object({ action: z.literal('returned'), reason: z.string().trim().min(1, 'a returned case needs a reason').max(500) }),
  z.object({ action: z.literal('accepted') }),
  z.object({ action: z.literal('done') }),
]);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** What a reviewer decision posts as the case's status change (pure). */
export function statusOfAction(action: ReviewAction): { status: string; note?: string } {
  switch (action.action) {
    case 'pre-accepted':
      return { status: 'pre-accepted', note: `预受理：请在 ${action.days} 个工作日内携带原件到窗口办理` };
    case 'returned':
      return { status: 'returned', note: `退回：${action.reason}` };
    case 'accepted':
      return { status: 'reviewing', note: '已受理，审核中' };
    case 'done':
      return { status: 'completed', note: '已办结' };
  }
}

/** The fields of a case record the reviewer needs; extra fields are ignored. */
const CasePayload = z.looseObject({
  caseId: z.string(),
  number: z.string(),
  serviceId: z.string(),
  submittedAt: z.string(),
  applicant: z.looseObject({ name: z.string(), idNumber: z.string() }),
  materials: z.array(z.looseObject({ index: z.number(), name: z.string(), pages: z.array(z.looseObject({ pageId: z.string(), sha256: z.string() })), reusedMaterialId: z.string().optional() })),
  /** 一号: when the applicant agreed to reuse earlier materials (case v2). */
  reuseConsentAt: z.string().optional(),
});
type CasePayload = z.infer<typeof CasePayload>;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STATUS_NAMES: Record<string, string> = { 'pre-accepted': '预受理', returned: '退回', reviewing: '已受理', accepted: '已受理', completed: '办结' };

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
figure{display:inline-block;margin:.5rem;border:1px solid #ccc;padding:.3rem}figure img{max-width:20rem;display:block}code{font-size:.8rem}</style></head>
<body>${body}</body></html>`;
}

export class ReviewError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ReviewDeps {
  store: PlatformStore;
  blobs: BlobStore;
  replies: ReplyStore;
  calendar: HolidayCalendar;
  adminToken: string;
  logger: Logger;
  now: () => Date;
  /** The phone page's rate limits (default platform/phone-page.ts DEFAULT_PHONE_PAGE_LIMITS). */
  phonePageLimits?: PhonePageLimits;
  /** Reviewer sessions (default DEFAULT_REVIEW_SESSION_POLICY). */
  sessionPolicy?: SessionPolicy;
  /** Failed logins per client address (default REVIEW_LOGIN_LIMITS). */
  loginLimits?: AttemptLimitPolicy;
}

/** A reviewer's session: 30 idle minutes, 12 hours at most, 64 at once. */
export const DEFAULT_REVIEW_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxAgeMs: 12 * 60 * 60_000, maxSessions: 64 };

/**
 * Wrong admin tokens at the login form, per client address: 10 in 10 minutes
 * lock that address out for 15. The token is 128 random bits, so this is not
 * what keeps it safe; it keeps a guesser from filling the log and the CPU.
 */
export const REVIEW_LOGIN_LIMITS: AttemptLimitPolicy = { perKey: { max: 10, windowMs: 10 * 60_000, lockMs: 15 * 60_000 } };

/** The request came over TLS (here, or at the proxy in front that says so): the session cookie is then marked Secure. */
function overTls(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || /^https\b/i.test(String(req.headers['x-forwarded-proto'] ?? ''));
}

function cookieValue(req: IncomingMessage, name: string): string {
  const raw = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1];
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return '';
  }
}

export function isReviewPath(pathname: string): boolean {
  return pathname === '/review' || pathname.startsWith('/review/') || pathname.startsWith('/m/');
}

const LEVEL_NAMES: Record<DeadlineLevel, string> = { green: '正常', yellow: '黄牌预警', red: '红牌超期' };
const LEVEL_COLOURS: Record<DeadlineLevel, string> = { green: '#2e7d32', yellow: '#f9a825', red: '#c62828' };

function levelBadge(level: DeadlineLevel): string {
  return `<span class="level level-${level}" style="color:#fff;background:${LEVEL_COLOURS[level]};padding:0 .4rem">${LEVEL_NAMES[level]}</span>`;
}

export function reviewHandler(deps: ReviewDeps): (req: IncomingMessage, res: ServerResponse, url: RequestTarget, body: Buffer) => Promise<void> {
  const token = Buffer.from(deps.adminToken);
  const phonePage = { replies: deps.replies, limiter: new PhonePageLimiter(deps.phonePageLimits), logger: deps.logger, now: deps.now };
  const sessionPolicy = deps.sessionPolicy ?? DEFAULT_REVIEW_SESSION_POLICY;
  const sessions = new TokenSessions(sessionPolicy);
  const logins = new AttemptLimiter(deps.loginLimits ?? REVIEW_LOGIN_LIMITS);
  // Scripts present the token as a bearer; browsers a session cookie.
  const authorised = (req: IncomingMessage): boolean => {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (bearer.length > 0 && sameSecret(bearer, token)) return true;
    return sessions.touch(cookieValue(req, REVIEW_COOKIE), deps.now().getTime());
  };
  const sessionCookie = (req: IncomingMessage, value: string, maxAgeSeconds: number): string =>
    `${REVIEW_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/review; Max-Age=${maxAgeSeconds}${overTls(req) ? '; Secure' : ''}`;
  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { ...REVIEW_PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}): void => {
    res.writeHead(303, { location: to, ...headers });
    res.end();
  };

  const cases = async (): Promise<(CasePayload & { terminalId: string; receivedAt: string })[]> =>
    (await deps.store.recordsOfKind('case')).flatMap((record) => {
      const parsed = CasePayload.safeParse(record.payload);
      return parsed.success ? [{ ...parsed.data, terminalId: record.terminalId, receivedAt: record.receivedAt }] : [];
    });
  const findCase = async (caseId: string): Promise<(CasePayload & { terminalId: string; receivedAt: string }) | undefined> => (await cases()).find((c) => c.caseId === caseId || c.number === caseId);
  const latest = (history: readonly CaseStatusChange[]): string => {
    const last = history.at(-1);
    return last ? (STATUS_NAMES[last.status] ?? last.status) : '待预受理';
  };

  const listPage = async (): Promise<string> => {
    const all = await cases();
    const rows: string[] = [];
    for (const c of all.reverse()) {
      const history = await deps.store.caseStatusHistory([c.caseId, c.number]);
      const pages = c.materials.reduce((sum, m) => sum + m.pages.length, 0);
      rows.push(
        `<tr><td><a href="/review/cases/${encodeURIComponent(c.caseId)}">${escapeHtml(c.number)}</a></td><td>${escapeHtml(c.serviceId)}</td><td>${escapeHtml(c.submittedAt)}</td><td>${pages}</td><td class="status">${escapeHtml(latest(history))}</td></tr>`,
      );
    }
    return page('办件审核', `<form method="post" action="/review/logout" class="logout"><a href="/review/consultations">咨询投诉</a> · <a href="/review/report">月报</a> <button>退出登录</button></form><h1>办件审核</h1><table><thead><tr><th>预受理号</th><th>事项</th><th>提交时间</th><th>页数</th><th>状态</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  };

  const casePage = async (c: CasePayload): Promise<string> => {
    const history = await deps.store.caseStatusHistory([c.caseId, c.number]);
    const materials: string[] = [];
    for (const material of c.materials) {
      // 一号: a reused material shows the pages of the earlier case it names (the platform accepted it only for the same applicant).
      const sourceId = material.reusedMaterialId;
      const source = sourceId === undefined ? undefined : await findCase(sourceId.slice(0, sourceId.lastIndexOf(':')));
      const sourceMaterial = source?.materials.find((m) => sourceId !== undefined && m.index === Number(sourceId.slice(sourceId.lastIndexOf(':') + 1)));
      const reusedNote =
        sourceId === undefined
          ? ''
          : source && sourceMaterial
            ? `<p class="reused">沿用办件 <a href="/review/cases/${encodeURIComponent(source.caseId)}">${escapeHtml(source.number)}</a> 的材料（提交于 ${escapeHtml(source.submittedAt)}；申请人同意于 ${escapeHtml(c.reuseConsentAt ?? '?')}）</p>`
            : `<p class="reused missing">沿用的材料 <code>${escapeHtml(sourceId)}</code> 已不在平台上</p>`;
      const figures: string[] = [];
      for (const p of sourceMaterial?.pages ?? material.pages) {
        const held = (await deps.blobs.status(p.sha256))?.complete === true;
        figures.push(
          held
            ? `<figure class="page" data-sha256="${escapeHtml(p.sha256)}"><img src="/review/blobs/${escapeHtml(p.sha256)}" alt="${escapeHtml(material.name)}"><figcaption><code>${escapeHtml(p.sha256)}</code></figcaption></figure>`
            : `<figure class="page missing" data-sha256="${escapeHtml(p.sha256)}"><figcaption>未收到 <code>${escapeHtml(p.sha256)}</code></figcaption></figure>`,
        );
      }
      materials.push(`<section><h3>${escapeHtml(material.name)}</h3>${reusedNote}${figures.join('') || '<p>（未提交页面）</p>'}</section>`);
    }
    const historyRows = history.map((h) => `<li>${escapeHtml(h.changedAt)} ${escapeHtml(STATUS_NAMES[h.status] ?? h.status)} ${escapeHtml(h.note ?? '')}</li>`).join('');
    const action = `/review/cases/${encodeURIComponent(c.caseId)}/status`;
    const form = `<h2>设置状态</h2>
<form method="post" action="${action}"><input type="hidden" name="action" value="pre-accepted"><label>预受理，办理时限 <input name="days" type="number" min="1" max="60" value="5" required> 个工作日</label> <button>预受理</button></form>
<form method="post" action="${action}"><input type="hidden" name="action" value="returned"><label>退回原因 <input name="reason" required maxlength="500"></label> <button>退回</button></form>
<form method="post" action="${action}"><input type="hidden" name="action" value="accepted"><button>受理</button></form>
<form method="post" action="${action}"><input type="hidden" name="action" value="done"><button>办结</button></form>`;
    return page(
      `办件 ${c.number}`,
      `<p><a href="/review">← 办件列表</a></p><h1>办件 ${escapeHtml(c.number)}</h1>
<p>事项 ${escapeHtml(c.serviceId)} · 申请人 ${escapeHtml(c.applicant.name)} · 身份证 ${escapeHtml(maskIdNumber(c.applicant.idNumber))} · 提交 ${escapeHtml(c.submittedAt)}</p>
<p>当前状态：<strong class="status">${escapeHtml(latest(history))}</strong></p><ol>${historyRows}</ol>
<h2>材料</h2>${materials.join('')}${form}`,
    );
  };

  const consultationsPage = async (): Promise<string> => {
    const now = deps.now();
    const rows = (await deps.replies.consultations()).map((c) => {
      const received = new Date(c.receivedAt);
      const level = deadlineLevel(received, c.reply ? new Date(c.reply.answeredAt) : now, deps.calendar);
      const due = workingDayDeadline(received, REPLY_WORKING_DAYS, deps.calendar);
      const answer = c.reply
        ? `<p class="reply">${escapeHtml(c.reply.text)}<br><small>${escapeHtml(c.reply.answeredAt)}</small></p>`
        : `<form method="post" action="/review/consultations/${encodeURIComponent(c.id)}/reply"><textarea name="text" required maxlength="2000" rows="2" cols="40"></textarea> <button>答复</button></form>`;
      return `<tr data-id="${escapeHtml(c.id)}"><td>${c.kind === 'complaint' ? '投诉' : '咨询'}</td><td>${escapeHtml(c.category)}</td><td>${escapeHtml(c.text)}</td><td>${escapeHtml(c.receivedAt)}<br><small>时限 ${escapeHtml(due.toISOString())}</small></td><td>${levelBadge(level)}</td><td>${answer}</td></tr>`;
    });
    return page(
      '咨询投诉答复',
      `<p><a href="/review">办件</a> · <a href="/review/report">月报</a></p><h1>咨询投诉答复</h1><p>${REPLY_WORKING_DAYS} 个工作日内答复：超过 1 个工作日黄牌预警，超过 2 个工作日亮红牌。</p>
<table><thead><tr><th>类型</th><th>类别</th><th>内容</th><th>收到 / 时限</th><th>监察</th><th>答复</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  };

  const reportRows = async (url: RequestTarget) => {
    const month = url.searchParams.get('month') ?? deps.now().toISOString().slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ReviewError(400, '月份格式为 YYYY-MM');
    return { month, rows: monthlyReport(await deps.replies.watchedItems(), month, deps.now(), deps.calendar) };
  };

  return async (req, res, url, body) => {
    const route = `${req.method ?? ''} ${url.pathname}`;
    const phone = /^GET \/m\/consultations\/([^/]+)$/.exec(route);
    if (phone?.[1] !== undefined) return servePhonePage(phonePage, req, res, phone[1]);
    if (route === 'POST /review/login') {
      const address = req.socket.remoteAddress ?? 'unknown';
      const nowMs = deps.now().getTime();
      const verdict = logins.check(address, nowMs);
      if (!verdict.allowed) {
        // Refused unevaluated: a locked-out guesser learns nothing, not even from a right guess.
        deps.logger.warn({ address, retryAt: new Date(verdict.retryAt).toISOString() }, 'reviewer login refused: too many wrong tokens from this address');
        send(res, 429, page('登录', '<p>错误次数过多，请稍后再试。</p>'), { 'retry-after': String(Math.ceil((verdict.retryAt - nowMs) / 1000)) });
        return;
      }
      const given = new URLSearchParams(body.toString('utf8')).get('token') ?? '';
      if (!sameSecret(given, token)) {
        logins.fail(address, nowMs);
        deps.logger.warn({ address }, 'reviewer login refused');
        send(res, 401, page('登录', '<p>令牌不正确。</p><p><a href="/review">重试</a></p>'));
        return;
      }
      logins.forget(address);
      const id = sessions.open(nowMs);
      deps.logger.info({ address }, 'reviewer logged in');
      redirect(res, '/review', { 'set-cookie': sessionCookie(req, id, Math.floor(sessionPolicy.maxAgeMs / 1000)) });
      return;
    }
    if (route === 'POST /review/logout') {
      sessions.close(cookieValue(req, REVIEW_COOKIE));
      redirect(res, '/review', { 'set-cookie': sessionCookie(req, '', 0) });
      return;
    }
    if (!authorised(req)) {
      send(res, 401, page('登录', '<h1>办件审核</h1><form method="post" action="/review/login"><label>管理令牌 <input name="token" type="password" required></label> <button>登录</button></form>'));
      return;
    }
    if (route === 'GET /review') return send(res, 200, await listPage());
    if (route === 'GET /review/consultations') return send(res, 200, await consultationsPage());
    const reply = /^POST \/review\/consultations\/([^/]+)\/reply$/.exec(route);
    if (reply?.[1] !== undefined) {
      try {
        await deps.replies.answer(decodeURIComponent(reply[1]), new URLSearchParams(body.toString('utf8')).get('text') ?? '', deps.now());
      } catch (err) {
        if (err instanceof ReplyRefusal) throw new ReviewError(err.status, err.message);
        throw err;
      }
      return redirect(res, '/review/consultations');
    }
    if (route === 'GET /review/report.csv') {
      const { month, rows } = await reportRows(url);
      res.writeHead(200, { ...REVIEW_PAGE_HEADERS, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="report-${month}.csv"` });
      res.end(reportCsv(rows));
      return;
    }
    if (route === 'GET /review/report') {
      const { month, rows } = await reportRows(url);
      const body = rows
        .map((r) => `<tr><td>${escapeHtml(r.department)}</td><td>${r.received}</td><td>${r.answered}</td><td>${r.overdue}</td><td>${r.warned}</td><td>${r.averageReplyHours ?? ''}</td></tr>`)
        .join('');
      return send(
        res,
        200,
        page(
          `月报 ${month}`,
          `<p><a href="/review">办件</a> · <a href="/review/consultations">咨询投诉</a></p><h1>电子监察月报 ${escapeHtml(month)}</h1><p>咨询、投诉的答复与办件的预受理，按部门；超期 = 超过 2 个工作日。<a href="/review/report.csv?month=${escapeHtml(month)}">下载 CSV</a></p>
<table><thead><tr><th>department 部门</th><th>received 收到</th><th>answered 已答复</th><th>overdue 超期</th><th>warned 预警中</th><th>averageReplyHours 平均答复小时</th></tr></thead><tbody>${body}</tbody></table>`,
        ),
      );
    }
    const blob = /^GET \/review\/blobs\/([^/]+)$/.exec(route);
    if (blob?.[1] !== undefined) {
      const sha256 = decodeURIComponent(blob[1]);
      if (!BlobHash.safeParse(sha256).success) throw new ReviewError(400, 'not a page address');
      const bytes = await deps.blobs.read(sha256);
      if (!bytes) throw new ReviewError(404, '没有这个页面');
      res.writeHead(200, { ...REVIEW_PAGE_HEADERS, 'content-type': 'image/jpeg', 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    const one = /^GET \/review\/cases\/([^/]+)$/.exec(route);
    if (one?.[1] !== undefined) {
      const found = await findCase(decodeURIComponent(one[1]));
      if (!found) throw new ReviewError(404, '没有这个办件');
      return send(res, 200, await casePage(found));
    }
    const status = /^POST \/review\/cases\/([^/]+)\/status$/.exec(route);
    if (status?.[1] !== undefined) {
      const found = await findCase(decodeURIComponent(status[1]));
      if (!found) throw new ReviewError(404, '没有这个办件');
      const parsed = ReviewAction.safeParse(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
      if (!parsed.success) {
        deps.logger.warn({ caseId: found.caseId, issue: parsed.error.issues[0]?.message }, 'review status refused');
        throw new ReviewError(400, `状态不正确：${parsed.error.issues[0]?.message ?? 'invalid'}`);
      }
      const change = statusOfAction(parsed.data);
      await deps.store.addCaseStatus({ caseId: found.caseId, ...change }, deps.now());
      deps.logger.info({ caseId: found.caseId, status: change.status }, 'reviewer set a case status');
      return redirect(res, `/review/cases/${encodeURIComponent(found.caseId)}`);
    }
    throw new ReviewError(404, '没有这个页面');
  };
}

/** Every review response (pages, the CSV, errors): personal data, so never cached; never framed (a reviewer's buttons must not be clickjacked), never sniffed. */
const REVIEW_PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...PAGE_SECURITY_HEADERS,
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

/** Answers a ReviewError (or anything else) as a small HTML page. */
export function sendReviewError(res: ServerResponse, err: unknown, logger: Logger): void {
  const status = err instanceof ReviewError ? err.status : 500;
  if (!(err instanceof ReviewError)) logger.error({ err }, 'review page failed');
  res.writeHead(status, { ...REVIEW_PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(page('错误', `<p>${escapeHtml(err instanceof ReviewError ? err.message : '内部错误')}</p><p><a href="/review">返回</a></p>`));
}
