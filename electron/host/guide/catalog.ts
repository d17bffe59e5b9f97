import type { GuideCatalog, GuideFilter, ServiceGuide, ServiceSummary } from '../../contract/index.js';
import type { ContentPackage, Department, Service } from '../content/schema.js';
import { guideInLocale } from '../content/english.js';
import type { ReceiptLine } from '../../../devices/printer/index.js';
import { printWords, type PrintLocale } from '../../common/printed-words.js';

/**
 * The service guide composed from the content package (pure): summaries for
 * lists, the browse facets, one service's full guide with the six core
 * elements, and the short form printed on the receipt printer.
 */
export type GuideContent = Pick<ContentPackage, 'hall' | 'services'>;

function departmentOf(content: GuideContent, service: Service): Department | undefined {
  return content.hall.departments.find((department) => department.id === service.departmentId);
}

export function summarize(content: GuideContent, service: Service): ServiceSummary {
  const department = departmentOf(content, service);
  return {
    id: service.id,
    name: service.name,
    departmentId: service.departmentId,
    departmentName: department?.name ?? service.departmentId,
    audience: service.audience,
    lifeEvents: service.lifeEvents,
    online: service.online,
    selfService: service.selfService,
    floor: department?.floor ?? 0,
    windows: service.guide.windows,
  };
}

/** 个人 and 企业 each include the services offered to both. */
function servesAudience(service: Service, audience: string): boolean {
  return service.audience === audience || service.audience === 'both' || audience === 'both';
}

/** The browse facets, named in the citizen's language (content `nameEn`, `lifeEventsEn`); a life event's `name` stays the Chinese tag its filter uses. */
export function guideCatalog(content: GuideContent, locale: PrintLocale = 'zh-CN'): GuideCatalog {
  const { services } = content.services;
  const english = (chinese: string, en: string | undefined): string => (locale === 'en' && en !== undefined && en !== '' ? en : chinese);
  return {
    departments: content.hall.departments
      .map((department) => ({
        id: department.id,
        name: english(department.name, department.nameEn),
        floor: department.floor,
        serviceCount: services.filter((service) => service.departmentId === department.id).length,
      }))
      .filter((department) => department.serviceCount > 0),
    lifeEvents: content.services.lifeEvents
      .map((name) => ({ name, label: english(name, content.services.lifeEventsEn?.[name]), serviceCount: services.filter((service) => service.lifeEvents.includes(name)).length }))
      .filter((event) => event.serviceCount > 0),
    audiences: (['个人', '企业', 'both'] as const).map((audience) => ({
      audience,
      serviceCount: audience === 'both' ? services.length : services.filter((service) => servesAudience(service, audience)).length,
    })),
  };
}

export function listServices(content: GuideContent, filter: GuideFilter): ServiceSummary[] {
  const matches = (service: Service): boolean => {
    switch (filter.by) {
      case 'department':
        return service.departmentId === filter.departmentId;
      case 'lifeEvent':
        return service.lifeEvents.includes(filter.lifeEvent);
      case 'audience':
        return servesAudience(service, filter.audience);
    }
  };
  return content.services.services.filter(matches).map((service) => summarize(content, service));
}

export function findService(content: GuideContent, serviceId: string): Service | undefined {
  return content.services.services.find((service) => service.id === serviceId);
}

/** promisedDays 0 = 当场办结 (the content's rule), else working days. */
export function promisedText(promisedDays: number): string {
  return promisedDays === 0 ? '当场办结' : `${promisedDays}个工作日`;
}

/** 2楼 公安局 53、54号窗口 */
export function locationText(content: GuideContent, service: Service): string {
  const department = departmentOf(content, service);
  const windows = `${service.guide.windows.join('、')}号窗口`;
  return department === undefined ? windows : `${department.floor}楼 ${department.name} ${windows}`;
}

/**
 * One service's guide. The long texts (basis, conditions, materials, steps,
 * agency, fee, time-limit note, window notes) are in `locale`, each falling
 * back to its Chinese where the content has no English (`chineseOnly` names
 * those sections); names and the place are the module's to localise.
 */
export function serviceGuide(content: GuideContent, service: Service, locale: PrintLocale = 'zh-CN'): ServiceGuide {
  const { guide } = service;
  const department = departmentOf(content, service);
  const texts = guideInLocale(service, department, locale, content.services.stagesEn);
  return {
    service: summarize(content, service),
    departmentFullName: department?.fullName ?? guide.agency,
    basis: texts.basis,
    conditions: texts.conditions,
    materials: texts.materials,
    steps: texts.steps,
    agency: texts.agency,
    fee: texts.fee,
    timeLimit: {
      statutoryDays: guide.timeLimit.statutoryDays,
      promisedDays: guide.timeLimit.promisedDays,
      promisedText: promisedText(guide.timeLimit.promisedDays),
      ...(texts.timeLimitNote !== undefined ? { note: texts.timeLimitNote } : {}),
    },
    location: locationText(content, service),
    windowNotes: texts.windowNotes,
    chineseOnly: texts.chineseOnly,
    onlineUrlHint: guide.onlineUrlHint,
    related: service.relatedServiceIds.flatMap((id) => {
      const related = findService(content, id);
      return related === undefined ? [] : [summarize(content, related)];
    }),
  };
}

/** 居民户口簿（原件1份，必需；在户籍地办理时提供）; in English the words around the name and note are English (the material as `serviceGuide` gave it, in the citizen's language). */
export function materialText(material: ServiceGuide['materials'][number], locale: PrintLocale = 'zh-CN'): string {
  const words = printWords(locale);
  if (locale === 'en') {
    const parts = [`${material.original ? words.guideOriginal : words.guideCopy}, ${words.guideCopies(material.copies)}`, material.required ? words.a4Required : words.guideOptional];
    if (material.note !== undefined && material.note !== '') parts.push(material.note);
    return `${material.name} (${parts.join('; ')})`;
  }
  const parts = [`${material.original ? '原件' : '复印件'}${material.copies}份`, material.required ? '必需' : '视情况'];
  if (material.note !== undefined && material.note !== '') parts.push(material.note);
  return `${material.name}（${parts.join('，')}）`;
}

/**
 * The receipt-printer short form: name, where, materials, fee, time limit, in
 * the citizen's language (`guide` already carries the names, place, materials,
 * agency and fee in it).
 */
export function guideReceiptLines(guide: ServiceGuide, locale: PrintLocale = 'zh-CN'): { title: string; lines: ReceiptLine[] } {
  const words = printWords(locale);
  const promised = guide.timeLimit.promisedDays;
  return {
    title: words.guideTitle,
    lines: [
      guide.service.name,
      { rule: true },
      { label: words.guidePlace, value: guide.location },
      { label: words.guideAgency, value: guide.agency },
      words.guideMaterials,
      ...guide.materials.map((material, index) => `${index + 1}. ${materialText(material, locale)}`),
      { label: words.guideFee, value: guide.fee },
      { label: words.guidePromised, value: locale === 'en' ? (promised === 0 ? words.guideImmediate : words.guideWorkingDays(promised)) : guide.timeLimit.promisedText },
      { label: words.guideOnline, value: guide.service.online },
    ],
  };
}
