import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PAPER_WIDTH_CHARS, decodeEscPos, displayWidth, encodeEscPos, layoutDoc, renderJobText } from '../../../devices/printer/index.js';
import { loadContent } from '../content/loader.js';
import { categoryForService, kioskCatalog } from './catalog.js';
import { httpBaseOf, loadOrCreateHallSecret, ticketDoc } from './module.js';
import { pageKey } from '../../../hall/index.js';
import { tempDir } from '../../../hall/testing.js';
import type { IssueResult } from '../../../hall/protocol/index.js';

const content = loadContent(new URL('../../../content/hall/', import.meta.url).pathname);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function issued(overrides: Partial<IssueResult> = {}): IssueResult {
  return {
    ticket: {
      id: 'ticket-1',
      displayNo: 'H905',
      day: '2026-11-25',
      categoryId: 'qc-household',
      originCategoryId: 'qc-household',
      serviceId: null,
      priority: 'elderly',
      maskedName: '李*英',
      kioskId: 'kiosk-01',
      source: 'offline',
      status: 'waiting',
      issuedAt: '2026-11-25T02:00:00.000Z',
      calledAt: null,
      windowNo: null,
      recalls: 0,
      skippedAt: null,
      finishedAt: null,
    },
    categoryName: '户政治安（身份证、户口）',
    peopleAhead: null,
    etaMinutes: null,
    windows: ['51', '52'],
    floor: 2,
    offline: true,
    ...overrides,
  };
}

describe('kiosk catalog', () => {
  it('offers every category, every department with its category, and services grouped by life event', () => {
    const catalog = kioskCatalog(content, null, new Date('2026-11-25T02:00:00Z'));
    expect(catalog.categories).toHaveLength(content.hall.queueCategories.length);
    expect(catalog.categories.find((c) => c.id === 'qc-household')).toMatchObject({ prefix: 'H', floor: 2, waiting: null, departmentNames: ['公安局'] });
    expect(catalog.departments).toHaveLength(content.hall.departments.length);
    const pension = catalog.lifeEvents.find((g) => g.name === '养老');
    expect(pension?.services.map((s) => s.id)).toContain('hr-pension-claim');
    expect(catalog.lifeEvents.every((g) => g.services.length > 0)).toBe(true);
  });

  it('names categories, departments, life events and services in English for a citizen who chose English', () => {
    const catalog = kioskCatalog(content, null, new Date('2026-11-25T02:00:00Z'), {}, 'en');
    expect(catalog.categories.find((c) => c.id === 'qc-household')).toMatchObject({ name: 'Household registration (ID cards, hukou)', departmentNames: ['Public Security Bureau'] });
    const pension = catalog.lifeEvents.find((g) => g.name === 'Old age and pensions');
    expect(pension?.services.find((s) => s.id === 'hr-pension-claim')?.name).toBe('Employee pension claim (retirement)');
    // Everything shown is English; a life event's id is the content's own key (stable across languages), never shown.
    const shown = { ...catalog, lifeEvents: catalog.lifeEvents.map(({ id: _id, ...group }) => group) };
    expect(JSON.stringify(shown)).not.toMatch(/[\u4e00-\u9fff]/);
    expect(categoryForService(content, 'ps-idcard-reissue', 'en')?.serviceName).toBe('Resident ID card: replacement (lost card)');
  });

  it('resolves a service to its category, and an unknown service to nothing', () => {
    expect(categoryForService(content, 'hr-pension-claim')?.category.id).toBe('qc-hrss');
    expect(categoryForService(content, 'no-such-service')).toBeUndefined();
  });
});

describe('the printed ticket', () => {
  it('an online ticket prints people ahead and the wait; an offline one says the display board knows', () => {
    const online = ticketDoc({ hallName: '示范市民之家', locale: 'zh-CN' }, issued({ peopleAhead: 4, etaMinutes: 12, offline: false }), 'http://hall/t/ticket-1');
    const onlineText = online.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    expect(onlineText).toContain('前面等候：4 人');
    expect(onlineText).toContain('【老年人优先】');
    expect(onlineText).toContain('姓名：李*英');
    expect(online).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'http://hall/t/ticket-1' }));
    // The ticket keeps the hall's promise: a skipped number may re-queue within the grace (not "过号请重新取号").
    expect(onlineText).toContain('请留意叫号屏幕和语音提示，过号30分钟内可到窗口申请顺延');
    expect(onlineText.some((t) => t.includes('重新取号'))).toBe(false);

    const offlineText = ticketDoc({ hallName: '示范市民之家', locale: 'zh-CN' }, issued(), 'http://hall/t/ticket-1').flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    expect(offlineText).toContain('等候人数以叫号屏为准');
    expect(offlineText.some((t) => t.startsWith('前面等候') || t.startsWith('预计等候'))).toBe(false);
  });

  it('prints in English for a citizen who chose English, every line within 58 mm and 80 mm paper, English in single-byte ASCII', () => {
    const english = { hallName: 'Demo Citizen Service Centre', categoryName: 'Household registration (ID cards, hukou)', locale: 'en' } as const;
    for (const paperWidthChars of [PAPER_WIDTH_CHARS['58mm'], PAPER_WIDTH_CHARS['80mm']]) {
      const bytes = encodeEscPos(ticketDoc(english, issued({ peopleAhead: 4, etaMinutes: 12, offline: false }), 'http://hall/t/ticket-1'), { paperWidthChars });
      const decoded = decodeEscPos(bytes);
      expect(decoded.issues).toEqual([]);
      const lines = decoded.items.flatMap((item) => (item.kind === 'text' ? [item] : []));
      for (const line of lines) expect(displayWidth(line.text) * line.size.width).toBeLessThanOrEqual(paperWidthChars);
      const text = renderJobText(decoded.items);
      expect(text).toContain('Your queue number');
      expect(text).toContain('[C 2x2 B] H905');
      expect(text).toContain('[ Priority: senior citizen ]');
      expect(text).toContain('Name: 李*英');
      expect(text).toContain('Where: Floor 2, windows 51, 52');
      expect(text).toContain('Waiting before you: 4');
      expect(text).toContain('Estimated wait: about 12 min');
      expect(text).toContain('Issued: 2026-11-25 10:00');
      // Nothing Chinese but the citizen's own masked name.
      expect(text.replace('李*英', '')).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    }
    const offline = renderJobText(layoutDoc(ticketDoc(english, issued(), null), { paperWidthChars: 48 }));
    expect(offline).toContain('See the display board for the waiting count');
    expect(offline).not.toContain('Waiting before you');
  });
});

describe('hall access', () => {
  it('keeps one random hall secret per kiosk, readable only by its user', () => {
    const dir = tempDir('liuliu-hall-secret-');
    dirs.push(dir);
    const file = join(dir, 'keys', 'hall.secret');
    const first = loadOrCreateHallSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateHallSecret(file)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('derives a different page key per role, none equal to the secret', () => {
    const counter = pageKey('secret-123456', 'counter');
    expect(counter).not.toBe(pageKey('secret-123456', 'display'));
    expect(counter).not.toBe(pageKey('secret-654321', 'counter'));
    expect(counter).not.toContain('secret');
  });

  it('turns the hall WebSocket URL into the base of its pages', () => {
    expect(httpBaseOf('ws://hall-server:8790/ws')).toBe('http://hall-server:8790');
    expect(httpBaseOf('wss://hall.example/queue/ws')).toBe('https://hall.example/queue');
  });
});
