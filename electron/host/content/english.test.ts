import { describe, expect, it } from 'vitest';
import { guideEnglishProblems, guideInLocale, guideWithoutEnglish } from './english.js';
import { loadContent } from './loader.js';
import type { Department, Service } from './schema.js';
import { contentRoot } from '../paths.js';
import { join } from 'node:path';

const content = loadContent(join(contentRoot(), 'hall'));
const serviceOf = (id: string): Service => {
  const service = content.services.services.find((candidate) => candidate.id === id);
  if (service === undefined) throw new Error(`no service ${id}`);
  return service;
};
const departmentOf = (service: Service): Department | undefined => content.hall.departments.find((department) => department.id === service.departmentId);
const CJK = /[\u3400-\u9fff]/;

describe("the guide's long texts in the citizen's language", () => {
  it('gives a service fully in English when the content has every English text', () => {
    const service = serviceOf('ps-idcard-renew');
    const texts = guideInLocale(service, departmentOf(service), 'en', content.services.stagesEn);
    expect(texts.chineseOnly).toEqual([]);
    expect(texts.materials[0]).toMatchObject({ name: 'Old Resident ID Card', note: 'Handed in', copies: 1, original: true, required: true });
    expect(texts.steps[0]?.stage).toBe('Application');
    expect(texts.windowNotes).toEqual([
      { window: '53', note: 'Resident ID card applications' },
      { window: '54', note: 'Resident ID card applications' },
    ]);
    expect(texts.fee).toMatch(/^CNY 20/);
    // Nothing Chinese left, but for document titles a citizen must recognise, which keep their Chinese in brackets.
    const all = [texts.basis, ...texts.conditions, ...texts.steps.flatMap((step) => [step.stage, step.description]), texts.agency, texts.fee, texts.timeLimitNote ?? '', ...texts.windowNotes.map((note) => note.note)];
    expect(all.filter((text) => CJK.test(text))).toEqual([]);
    expect(texts.materials.every((material) => CJK.test(material.name.replace(/\([^)]*\)/g, '')) === false)).toBe(true);
  });

  it('leaves only the text without English in Chinese, and names its section', () => {
    const service = serviceOf('ps-idcard-renew');
    const [first, ...others] = service.guide.materials;
    if (first === undefined) throw new Error('no material');
    const { noteEn: _dropped, ...noNoteEn } = first;
    const conditionsEn = service.guide.conditionsEn?.slice();
    const partly: Service = { ...service, guide: { ...service.guide, materials: [noNoteEn, ...others], feeEn: undefined } };
    const texts = guideInLocale(partly, departmentOf(service), 'en', content.services.stagesEn);
    expect(texts.materials[0]).toMatchObject({ name: 'Old Resident ID Card', note: '交回' });
    expect(texts.materials[1]?.note).toBe(others[0]?.noteEn);
    expect(texts.fee).toBe(service.guide.fee);
    expect(texts.conditions).toEqual(conditionsEn);
    expect(texts.chineseOnly).toEqual(['materials', 'fee']);
  });

  it('gives the Chinese in Chinese, with no notice', () => {
    const service = serviceOf('ps-idcard-renew');
    const texts = guideInLocale(service, departmentOf(service), 'zh-CN', content.services.stagesEn);
    expect(texts.materials[0]).toMatchObject({ name: '原居民身份证', note: '交回' });
    expect(texts.steps[0]?.stage).toBe('申请');
    expect(texts.basis).toBe(service.guide.basis);
    expect(texts.chineseOnly).toEqual([]);
  });

  it('has every Chinese text of the shipped guides with its English twin, and no English without Chinese', () => {
    expect(guideWithoutEnglish(content.hall, content.services)).toEqual([]);
    expect(guideEnglishProblems(content.hall, content.services)).toEqual([]);
  });

  it('lists each Chinese text that has no English', () => {
    const service = serviceOf('ps-idcard-renew');
    const conditionsEn = service.guide.conditionsEn?.slice(0, -1);
    const partly: Service = { ...service, guide: { ...service.guide, basisEn: undefined, ...(conditionsEn === undefined ? {} : { conditionsEn }) } };
    const services = { ...content.services, services: [partly] };
    const missing = guideWithoutEnglish(content.hall, services);
    expect(missing).toEqual(['services.json: service ps-idcard-renew: basisEn', `services.json: service ps-idcard-renew: conditionsEn[${service.guide.conditions.length - 1}]`]);
  });
});
