import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layoutDoc, receiptDoc } from '../../../devices/printer/index.js';
import { loadContent } from '../content/loader.js';
import type { ContentPackage, Service } from '../content/schema.js';
import { findService, guideCatalog, guideReceiptLines, listServices, materialText, promisedText, serviceGuide } from './catalog.js';

let content: ContentPackage;
const service = (id: string): Service => {
  const found = findService(content, id);
  if (found === undefined) throw new Error(`test content lacks ${id}`);
  return found;
};

beforeAll(() => {
  content = loadContent(join(import.meta.dirname, '../../../content/hall'));
});

describe('guideCatalog and listServices', () => {
  it('counts services per department, life event and audience, leaving out empty facets', () => {
    const catalog = guideCatalog(content);
    const total = content.services.services.length;
    expect(catalog.departments.reduce((sum, d) => sum + d.serviceCount, 0)).toBe(total);
    expect(catalog.departments.every((d) => d.serviceCount > 0)).toBe(true);
    expect(catalog.departments.find((d) => d.id === 'public-security')).toMatchObject({ name: '公安局', floor: 2 });
    expect(catalog.lifeEvents.map((e) => e.name)).toContain('证件办理');
    const audiences = Object.fromEntries(catalog.audiences.map((a) => [a.audience, a.serviceCount]));
    expect(audiences['both']).toBe(total);
    expect(audiences['个人']).toBeGreaterThan(0);
    expect(audiences['企业']).toBeGreaterThan(0);
    // Services for both audiences are counted under each.
    expect((audiences['个人'] ?? 0) + (audiences['企业'] ?? 0)).toBeGreaterThanOrEqual(total);
  });

  it('names the life-event tabs and departments in English for a citizen who chose English; the filter keeps the content tag', () => {
    const catalog = guideCatalog(content, 'en');
    expect(catalog.lifeEvents.find((e) => e.name === '证件办理')).toMatchObject({ label: 'ID documents' });
    expect(catalog.departments.find((d) => d.id === 'public-security')?.name).toBe('Public Security Bureau');
    expect(JSON.stringify([catalog.lifeEvents.map((e) => e.label), catalog.departments.map((d) => d.name)])).not.toMatch(/[\u4e00-\u9fff]/);
    expect(guideCatalog(content).lifeEvents.find((e) => e.name === '证件办理')?.label).toBe('证件办理');
  });

  it('lists by department, life event and audience', () => {
    const police = listServices(content, { by: 'department', departmentId: 'public-security' });
    expect(police.map((s) => s.name)).toContain('居民身份证补领');
    expect(police.every((s) => s.departmentName === '公安局' && s.floor === 2)).toBe(true);
    const documents = listServices(content, { by: 'lifeEvent', lifeEvent: '证件办理' });
    expect(documents.every((s) => s.lifeEvents.includes('证件办理'))).toBe(true);
    expect(documents.map((s) => s.id)).toEqual(expect.arrayContaining(['ps-idcard-first', 'ps-idcard-reissue']));
    const business = listServices(content, { by: 'audience', audience: '企业' });
    expect(business.every((s) => s.audience === '企业' || s.audience === 'both')).toBe(true);
    expect(business.some((s) => s.name.includes('营业执照'))).toBe(true);
    expect(business.some((s) => s.id === 'ps-idcard-reissue')).toBe(false);
    expect(listServices(content, { by: 'department', departmentId: 'no-such' })).toEqual([]);
  });
});

describe('serviceGuide', () => {
  it('composes the six core elements, time limit, windows and online mode', () => {
    const guide = serviceGuide(content, service('ps-idcard-reissue'));
    expect(guide.service).toMatchObject({ name: '居民身份证补领', departmentName: '公安局', floor: 2, windows: ['53', '54'], online: '窗口办理', selfService: false });
    expect(guide.basis).toContain('《中华人民共和国居民身份证法》');
    expect(guide.conditions).toContain('居民身份证丢失');
    expect(guide.materials[0]).toMatchObject({ name: '居民户口簿', copies: 1, original: true, required: true });
    expect(guide.steps.map((s) => s.stage)).toEqual(['申请', '受理', '审核', '决定', '办结']);
    expect(guide.agency).toBe('示范市公安局（户政、治安）');
    expect(guide.fee).toContain('20元');
    expect(guide.timeLimit).toMatchObject({ statutoryDays: 60, promisedDays: 15, promisedText: '15个工作日' });
    expect(guide.location).toBe('2楼 公安局 53、54号窗口');
    expect(guide.windowNotes.map((n) => n.window)).toEqual(['53', '54']);
    expect(guide.related.map((r) => r.id)).toEqual(['ps-idcard-temp']);
  });

  it('says 当场办结 when promised in 0 days', () => {
    expect(promisedText(0)).toBe('当场办结');
    expect(serviceGuide(content, service('ps-idcard-temp')).timeLimit.promisedText).toBe('当场办结');
  });
});

describe('guideReceiptLines', () => {
  it('prints name, where, materials with copies/original/required/note, fee and time limit', () => {
    const guide = serviceGuide(content, service('ps-idcard-first'));
    const { title, lines } = guideReceiptLines(guide);
    const printed = layoutDoc(receiptDoc(title, lines), { paperWidthChars: 48 })
      .flatMap((item) => (item.kind === 'text' ? [item.text] : []))
      .join('\n');
    const flat = printed.replace(/\n/g, '');
    expect(printed.split('\n')[0]).toBe('办事指南');
    expect(flat).toContain('居民身份证首次申领');
    expect(flat).toContain('办理地点：2楼 公安局 53、54号窗口');
    expect(flat).toContain('1. 居民户口簿（原件1份，必需，原件现场核验）');
    expect(flat).toContain('2. 监护人居民身份证（原件1份，视情况，未满16周岁的须由监护人陪同并提供）');
    expect(flat).toContain('收费标准：20元');
    expect(flat).toContain('承诺时限：15个工作日');
  });

  it('describes a copy without a note', () => {
    expect(materialText({ name: '营业执照', copies: 2, original: false, required: true })).toBe('营业执照（复印件2份，必需）');
  });
});
