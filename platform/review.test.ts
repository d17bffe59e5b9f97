import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml, ReviewAction, statusOfAction } from './review.js';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from './testing.js';

describe('reviewer decisions', () => {
  it('map to the status words the terminal turns into its stages, with the time limit or the reason as the note', () => {
    expect(statusOfAction(ReviewAction.parse({ action: 'pre-accepted', days: '3' }))).toEqual({ status: 'pre-accepted', note: expect.stringContaining('3 个工作日') as unknown });
    expect(statusOfAction(ReviewAction.parse({ action: 'returned', reason: '照片不清晰' }))).toEqual({ status: 'returned', note: '退回：照片不清晰' });
    expect(statusOfAction(ReviewAction.parse({ action: 'accepted' })).status).toBe('reviewing');
    expect(statusOfAction(ReviewAction.parse({ action: 'done' })).status).toBe('completed');
  });

  it('refuses a return without a reason, a time limit out of range and unknown actions', () => {
    expect(ReviewAction.safeParse({ action: 'returned', reason: '  ' }).success).toBe(false);
    expect(ReviewAction.safeParse({ action: 'pre-accepted', days: '0' }).success).toBe(false);
    expect(ReviewAction.safeParse({ action: 'pre-accepted', days: 'x' }).success).toBe(false);
    expect(ReviewAction.safeParse({ action: 'approve-everything' }).success).toBe(false);
  });

  it('escapes what it puts into HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});

describe('reviewer pages', () => {
  let platform: LoopbackPlatform;
  beforeEach(async () => {
    platform = await startLoopbackPlatform({ terminals: [] });
  });
  afterEach(async () => {
    await platform.close();
  });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(new URL(path, platform.url), { headers, redirect: 'manual' });

  it('asks for the admin token, and a login sets an HttpOnly SameSite=Strict cookie that opens the list', async () => {
    const anonymous = await get('/review');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('name="token"');
    expect((await get('/review/blobs/' + 'a'.repeat(64))).status).toBe(401);
    const wrong = await fetch(new URL('/review/login', platform.url), { method: 'POST', body: 'token=nope', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(wrong.status).toBe(401);
    const login = await fetch(new URL('/review/login', platform.url), { method: 'POST', body: `token=${TEST_ADMIN_TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const list = await get('/review', { cookie: cookie.split(';')[0] ?? '' });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('办件审核');
  });

  const login = (headers: Record<string, string> = {}, token = TEST_ADMIN_TOKEN): Promise<Response> =>
    fetch(new URL('/review/login', platform.url), { method: 'POST', body: `token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, redirect: 'manual' });

  it('keeps the admin token out of the cookie: the cookie holds a random session id, and the token itself as a cookie opens nothing', async () => {
    const cookie = (await login()).headers.get('set-cookie') ?? '';
    const value = /liuliu_review=([^;]*)/.exec(cookie)?.[1] ?? '';
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(TEST_ADMIN_TOKEN);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP on loopback: a Secure cookie would never come back
    expect(cookie).toMatch(/Max-Age=\d+/);
    // A cookie that carries the token (what the page set before sessions) is refused.
    expect((await get('/review', { cookie: `liuliu_review=${TEST_ADMIN_TOKEN}` })).status).toBe(401);
    // Two logins, two different sessions.
    const second = /liuliu_review=([^;]*)/.exec((await login()).headers.get('set-cookie') ?? '')?.[1];
    expect(second).not.toBe(value);
  });

  it('marks the cookie Secure when the request came over TLS at the proxy', async () => {
    expect((await login({ 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('ends the session at logout: the same cookie opens nothing afterwards', async () => {
    const cookie = ((await login()).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await get('/review', { cookie })).status).toBe(200);
    const out = await fetch(new URL('/review/logout', platform.url), { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get('/review', { cookie })).status).toBe(401);
  });

  it('locks an address out after 10 wrong tokens, and then refuses even the right one unevaluated', async () => {
    for (let i = 0; i < 10; i += 1) expect((await login({}, `wrong-${i}`)).status).toBe(401);
    const locked = await login();
    expect(locked.status).toBe(429);
    expect(locked.headers.get('set-cookie')).toBeNull();
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The bearer path (scripts) is not a guessing oracle through this form, and stays usable.
    expect((await get('/review', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).status).toBe(200);
  });

  it('answers 404 for an unknown case and stores no status for it', async () => {
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    expect((await get('/review/cases/nope', auth)).status).toBe(404);
    const posted = await fetch(new URL('/review/cases/nope/status', platform.url), { method: 'POST', body: 'action=done', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(posted.status).toBe(404);
    expect((await platform.server.store.caseStatusChanges(0, 10)).changes).toEqual([]);
  });
});
