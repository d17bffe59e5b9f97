import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import { answerFor, composeAnswer, composeOutOfScopeAnswer, composeUnsureAnswer, fillTemplate, firstSentence, floorMap, spokenWindows, timeLimitText } from './answers.js';
import { intentCatalog } from './catalog.js';

const CONTENT_DIR = join(import.meta.dirname, '../../../content/hall');
let content: ContentPackage;

beforeAll(() => {
  content = loadContent(CONTENT_DIR);
});

describe('composeAnswer', () => {
  it('answers the ID-card reissue intent from content: floor 2, 公安局, windows 53 and 54', () => {
    const answer = composeAnswer(content, 'svc:ps-idcard-reissue');
    expect(answer.spoken).toBe('请到2楼公安局53、54号窗口办理');
    expect(answer.destination).toEqual({ floor: 2, departmentId: 'public-security', windows: ['53', '54'] });
    expect(answer.text).toContain('2楼公安局53、54号窗口');
    expect(answer.text).toContain('20元');
    expect(answer.text).not.toMatch(/\{\w+\}/);
    expect(answer.serviceId).toBe('ps-idcard-reissue');
    expect(answer.queueCategoryId).toBe(content.services.services.find((s) => s.id === 'ps-idcard-reissue')?.queueCategoryId);
    expect(answer.materials?.length).toBeGreaterThan(0);
    expect(answer.actions).toEqual(['ticket', 'guide']);
  });

  it('follows the content: other windows in a copied package change the answer', () => {
    const copy = structuredClone(content);
    const service = copy.services.services.find((s) => s.id === 'ps-idcard-reissue');
    if (!service) throw new Error('fixture service missing');
    service.guide.windows = ['55'];
    const answer = composeAnswer(copy, 'svc:ps-idcard-reissue');
    expect(answer.spoken).toBe('请到2楼公安局55号窗口办理');
    expect(answer.destination?.windows).toEqual(['55']);
    expect(composeAnswer(content, 'svc:ps-idcard-reissue').destination?.windows).toEqual(['53', '54']);
  });

  it('uses the generic template for services without an intents.json entry, with every placeholder filled', () => {
    const listed = new Set(content.intents.intents.map((i) => i.serviceId));
    const unlisted = content.services.services.filter((s) => !listed.has(s.id));
    expect(unlisted.length).toBe(66);
    for (const service of unlisted) {
      const answer = composeAnswer(content, `svc:${service.id}`);
      expect(answer.kind).toBe('intent');
      expect(answer.text.startsWith(service.name)).toBe(true);
      expect(answer.text).not.toMatch(/\{\w+\}/);
      expect(answer.destination?.windows).toEqual(service.guide.windows);
      expect(answer.fee).toBe(service.guide.fee);
    }
  });

  it("lists the materials and fee in the citizen's language", () => {
    const answer = composeAnswer(content, 'svc:ps-idcard-reissue', { locale: 'en' });
    expect(answer.materials).toEqual(['Household Register (户口簿)']);
    expect(answer.fee).toBe('CNY 20 (ID card fee)');
    expect(composeAnswer(content, 'svc:ps-idcard-reissue').materials).toEqual(['居民户口簿']);
  });

  it('fills every intent without leaving a placeholder, and facility intents prefer the robot floor', () => {
    for (const entry of intentCatalog(content)) {
      const answer = composeAnswer(content, entry.id, { currentFloor: 3 });
      expect(answer.text, entry.id).not.toMatch(/\{\w+\}/);
      expect(answer.spoken.length, entry.id).toBeGreaterThan(0);
    }
    expect(composeAnswer(content, 'fac:restroom', { currentFloor: 3 }).destination).toEqual({ floor: 3, facilityId: 'fac-restroom-3f', windows: [] });
    expect(composeAnswer(content, 'fac:restroom').destination?.facilityId).toBe('fac-restroom-1f');
    expect(composeAnswer(content, 'fac:mother-baby', { currentFloor: 2 }).destination?.facilityId).toBe('fac-mother-baby-1f');
  });

  it('gives no destination for an unavailable facility and calls staff at staffed ones', () => {
    const smoking = composeAnswer(content, 'fac:smoking');
    expect(smoking.destination).toBeUndefined();
    expect(smoking.text).toContain('无烟场所');
    expect(composeAnswer(content, 'gen:human-help', { currentFloor: 2 }).actions).toEqual(['guide', 'call-staff']);
    expect(composeAnswer(content, 'gen:take-number').actions).toContain('ticket');
  });

  it('declines unknown intents and out-of-scope with the content answer', () => {
    const { scope: _scope, ...withoutScope } = content.intents;
    expect(composeOutOfScopeAnswer({ ...content, intents: withoutScope }).text).toBe(content.intents.outOfScopeAnswer.replace('{robotName}', '浏浏'));
    // With a scope list and no topic named: the general referral (12345).
    const oos = composeOutOfScopeAnswer(content);
    expect(oos.text).toContain('12345');
    expect(composeAnswer(content, 'svc:no-such-service')).toEqual(oos);
    expect(answerFor(content, { intentId: 'oos', confidence: 0.9, unsure: false, top3: [], source: 'model' })).toEqual(oos);
  });

  it('offers up to three labelled suggestions when unsure', () => {
    const top3 = [
      { intentId: 'svc:ps-idcard-reissue', confidence: 0.4 },
      { intentId: 'fac:restroom', confidence: 0.3 },
      { intentId: 'svc:ps-name-change', confidence: 0.1 },
    ];
    const answer = answerFor(content, { intentId: 'svc:ps-idcard-reissue', confidence: 0.4, unsure: true, top3, source: 'model' });
    expect(answer).toEqual(composeUnsureAnswer(content, top3));
    expect(answer.kind).toBe('unsure');
    expect(answer.suggestions).toEqual([
      { intentId: 'svc:ps-idcard-reissue', label: '居民身份证补领' },
      { intentId: 'fac:restroom', label: '卫生间' },
      { intentId: 'svc:ps-name-change', label: '变更姓名' },
    ]);
    expect(answer.text).toContain('1. 居民身份证补领');
  });
});

describe('answer helpers', () => {
  it('formats windows, time limits, templates and spoken sentences', () => {
    expect(spokenWindows(['9', '10', '11', '12'])).toBe('9至12');
    expect(spokenWindows(['53', '54'])).toBe('53、54');
    expect(spokenWindows(['1', '3', '4', '5', '9'])).toBe('1、3至5、9');
    expect(timeLimitText(0)).toBe('当场办结');
    expect(timeLimitText(7)).toBe('7个工作日');
    expect(fillTemplate('{a}和{b}', { a: '甲' })).toBe('甲和');
    expect(firstSentence('卫生间在1楼西侧走廊尽头（含无障碍卫生间），我带您过去吧。其余')).toBe('卫生间在1楼西侧走廊尽头，我带您过去吧');
  });
});

describe('floorMap', () => {
  it('lists the floor areas and highlights the destination', () => {
    const destination = composeAnswer(content, 'svc:ps-idcard-reissue').destination;
    const map = floorMap(content, 2, destination);
    expect(map?.name).toContain('二楼');
    const highlighted = map?.areas.filter((a) => a.highlighted) ?? [];
    expect(highlighted.map((a) => a.departmentIds)).toEqual([['public-security']]);
    expect(floorMap(content, 1, { facilityId: 'fac-restroom-1f' })?.areas.filter((a) => a.highlighted).map((a) => a.name)).toEqual(['便民服务区']);
    expect(floorMap(content, 2)?.areas.some((a) => a.highlighted)).toBe(false);
    expect(floorMap(content, 9)).toBeUndefined();
  });
});

describe('answers in English (the citizen chose English)', () => {
  const CJK = /[\u4e00-\u9fff]/;

  it('a service answer names the department, floor and windows in English', () => {
    const answer = composeAnswer(content, 'svc:ps-idcard-reissue', { locale: 'en' });
    expect(answer.text).toContain('Public Security Bureau, floor 2, windows 53, 54');
    expect(answer.text).toContain('Household registration (ID cards, hukou)');
    expect(answer.spoken).toBe('Please go to the Public Security Bureau, floor 2, windows 53, 54.');
    expect(answer.text).not.toMatch(CJK);
  });

  it('every intent answers without Chinese, general ones from answerEn, facilities and services from templates', () => {
    const chinese = intentCatalog(content)
      .map((entry) => composeAnswer(content, entry.id, { locale: 'en' }))
      .filter((answer) => CJK.test(answer.text) || CJK.test(answer.spoken))
      .map((answer) => answer.intentId);
    expect(chinese).toEqual([]);
    expect(composeOutOfScopeAnswer(content, { locale: 'en' }).text).toContain('Liuliu did not understand');
  });

  it('services and facilities answer in their own hand-written English, spoken as whole words', () => {
    const marriage = composeAnswer(content, 'svc:ca-marriage', { locale: 'en' });
    expect(marriage.text).toContain('Both of you must come in person');
    const restroom = composeAnswer(content, 'fac:restroom', { locale: 'en' });
    expect(restroom.text).toMatch(/^Restrooms are on floor \d: .+\. I can show you the way\.$/);
    expect(restroom.spoken).toMatch(/^Restrooms are on floor \d: [^.]+\.$/);
  });

  it('the floor map of the destination is in English', () => {
    const map = floorMap(content, 2, { departmentId: 'public-security' }, 'en');
    expect(map?.name).toBe('2nd floor: public security and business services');
    expect(map?.areas.find((area) => area.highlighted)?.name).toBe('Household registration and public order (windows 51–56)');
  });

  it('Chinese stays the default', () => {
    expect(composeAnswer(content, 'svc:ps-idcard-reissue').spoken).toBe('请到2楼公安局53、54号窗口办理');
  });
});
