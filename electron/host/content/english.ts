import { GUIDE_SECTIONS, type GuideSection } from '../../contract/index.js';
import type { Department, Hall, Intents, Service, Services } from './schema.js';

/**
 * Both languages for every name the citizen reads: the hall, its floors and
 * areas, departments, queue categories, facilities and services. Returns one
 * line per missing English field (a problem for the loader), so a content
 * editor sees exactly what to add. The guide's long texts have their own
 * English (optional, per text: see guideInLocale and guideWithoutEnglish).
 */
export function missingEnglish(hall: Hall, services: Services): string[] {
  const missing: string[] = [];
  const need = (file: string, where: string, chinese: string, english: string | undefined, field = 'nameEn'): void => {
    if (english === undefined || english.trim() === '') missing.push(`${file}: ${where} (${chinese}) has no ${field}`);
  };
  need('hall.json', 'hall', hall.name, hall.nameEn);
  need('hall.json', 'hall', hall.fullName, hall.fullNameEn, 'fullNameEn');
  need('hall.json', 'hall', hall.address, hall.addressEn, 'addressEn');
  need('hall.json', 'robot', hall.robot.name, hall.robot.nameEn);
  need('hall.json', 'documentPickup', hall.documentPickup, hall.documentPickupEn, 'documentPickupEn');
  need('hall.json', 'openingHours', hall.openingHours.summary.slice(0, 12), hall.openingHours.summaryEn, 'summaryEn');
  hall.floors.forEach((floor, index) => {
    need('hall.json', `floors[${index}]`, floor.name, floor.nameEn);
    floor.areas.forEach((area, areaIndex) => need('hall.json', `floors[${index}].areas[${areaIndex}]`, area.name, area.nameEn));
  });
  for (const department of hall.departments) {
    need('hall.json', `department ${department.id}`, department.name, department.nameEn);
    need('hall.json', `department ${department.id}`, department.fullName, department.fullNameEn, 'fullNameEn');
  }
  for (const category of hall.queueCategories) need('hall.json', `queue category ${category.id}`, category.name, category.nameEn);
  for (const facility of hall.facilities) {
    need('hall.json', `facility ${facility.id}`, facility.name, facility.nameEn);
    need('hall.json', `facility ${facility.id}`, facility.location, facility.locationEn, 'locationEn');
  }
  for (const lifeEvent of services.lifeEvents) need('services.json', 'life event', lifeEvent, services.lifeEventsEn?.[lifeEvent], 'lifeEventsEn entry');
  for (const mode of services.onlineModes) need('services.json', 'online mode', mode, services.onlineModesEn?.[mode], 'onlineModesEn entry');
  for (const stage of services.stages) need('services.json', 'stage', stage, services.stagesEn?.[stage], 'stagesEn entry');
  for (const service of services.services) need('services.json', `service ${service.id}`, service.name, service.nameEn);
  return missing;
}

/** Robot answers without English (`answerEn`): the loader refuses a package with any. */
export function answersWithoutEnglish(intents: Intents): string[] {
  return intents.intents.filter((intent) => intent.answerEn === undefined).map((intent) => intent.id);
}

/** The citizen's language's version of a content text, the Chinese when there is no English. */
export function inLocale(locale: 'zh-CN' | 'en', chinese: string, english: string | undefined): string {
  return locale === 'en' && english !== undefined && english !== '' ? english : chinese;
}

/** A Chinese text that is there (not absent, not empty): only such a text may have an English twin. */
const present = (text: string | undefined): boolean => text !== undefined && text !== '';

/**
 * Content errors in the guide's English (the loader refuses the package and
 * lists each): a `conditionsEn` that does not pair with `conditions` one to
 * one, and an English text where there is no Chinese one (a note, a time-limit
 * note, a window note) — English alone would show to English citizens only.
 */
export function guideEnglishProblems(hall: Hall, services: Services): string[] {
  const problems: string[] = [];
  for (const service of services.services) {
    const { guide } = service;
    const where = `services.json: service ${service.id}`;
    if (guide.conditionsEn !== undefined && guide.conditionsEn.length !== guide.conditions.length)
      problems.push(`${where}: conditionsEn has ${guide.conditionsEn.length} texts but conditions has ${guide.conditions.length} (they pair by position)`);
    const orphan = (field: string, chinese: string | undefined, english: string | undefined): void => {
      if (english !== undefined && !present(chinese)) problems.push(`${where}: ${field} has English but no Chinese text`);
    };
    orphan('basisEn', guide.basis, guide.basisEn);
    orphan('agencyEn', guide.agency, guide.agencyEn);
    orphan('feeEn', guide.fee, guide.feeEn);
    orphan('timeLimit.noteEn', guide.timeLimit.note, guide.timeLimit.noteEn);
    guide.materials.forEach((material, index) => orphan(`materials[${index}].noteEn`, material.note, material.noteEn));
    guide.steps.forEach((step, index) => orphan(`steps[${index}].descriptionEn`, step.description, step.descriptionEn));
  }
  for (const department of hall.departments)
    for (const window of Object.keys(department.windowNotesEn ?? {}))
      if (!present(department.windowNotes?.[window])) problems.push(`hall.json: department ${department.id}: windowNotesEn has window ${window} but windowNotes has no note for it`);
  return problems;
}

/**
 * Every Chinese text of the guides without its English twin, one line each
 * ("service ps-idcard-apply: materials[1].noteEn"). Not a loader error: the
 * kiosk shows such a text in Chinese and says so. The shipped content has
 * none (content.test.ts checks it).
 */
export function guideWithoutEnglish(hall: Hall, services: Services): string[] {
  const missing: string[] = [];
  for (const service of services.services) {
    const { guide } = service;
    const need = (field: string, chinese: string | undefined, english: string | undefined): void => {
      if (present(chinese) && !present(english)) missing.push(`services.json: service ${service.id}: ${field}`);
    };
    need('basisEn', guide.basis, guide.basisEn);
    guide.conditions.forEach((condition, index) => need(`conditionsEn[${index}]`, condition, guide.conditionsEn?.[index]));
    guide.materials.forEach((material, index) => {
      need(`materials[${index}].nameEn`, material.name, material.nameEn);
      need(`materials[${index}].noteEn`, material.note, material.noteEn);
    });
    guide.steps.forEach((step, index) => need(`steps[${index}].descriptionEn`, step.description, step.descriptionEn));
    need('agencyEn', guide.agency, guide.agencyEn);
    need('feeEn', guide.fee, guide.feeEn);
    need('timeLimit.noteEn', guide.timeLimit.note, guide.timeLimit.noteEn);
  }
  for (const department of hall.departments)
    for (const [window, note] of Object.entries(department.windowNotes ?? {}))
      if (present(note) && !present(department.windowNotesEn?.[window])) missing.push(`hall.json: department ${department.id}: windowNotesEn[${window}]`);
  return missing;
}

/** A guide's long texts in one language, and the sections where some text had no English and is shown in Chinese. */
export interface GuideTexts {
  basis: string;
  conditions: string[];
  materials: Array<{ name: string; copies: number; original: boolean; required: boolean; note?: string }>;
  steps: Array<{ stage: string; description: string }>;
  agency: string;
  fee: string;
  timeLimitNote?: string;
  /** The notes of the service's own windows, in its window order. */
  windowNotes: Array<{ window: string; note: string }>;
  /** In English: each section with at least one text still in Chinese (in section order); always empty in Chinese. */
  chineseOnly: GuideSection[];
}

/**
 * A service's guide texts in the citizen's language: each text its English
 * when the session is English and the content has it, else the Chinese — per
 * text, so one missing note leaves only that note Chinese (and its section
 * listed in `chineseOnly`, for the screen's and the paper's notice). Stages
 * are named from `stagesEn`. The one place the guide's long texts are
 * localised: the guide screen, its printed forms and the application's
 * materials all come through here.
 */
export function guideInLocale(service: Service, department: Department | undefined, locale: 'zh-CN' | 'en', stagesEn?: Readonly<Record<string, string>>): GuideTexts {
  const { guide } = service;
  const fellBack = new Set<GuideSection>();
  const text = (section: GuideSection, chinese: string, english: string | undefined): string => {
    if (locale === 'en' && present(chinese) && !present(english)) fellBack.add(section);
    return inLocale(locale, chinese, english);
  };
  const notes = department?.windowNotes ?? {};
  const texts: Omit<GuideTexts, 'chineseOnly'> = {
    basis: text('basis', guide.basis, guide.basisEn),
    conditions: guide.conditions.map((condition, index) => text('conditions', condition, guide.conditionsEn?.[index])),
    materials: guide.materials.map((material) => ({
      name: text('materials', material.name, material.nameEn),
      copies: material.copies,
      original: material.original,
      required: material.required,
      ...(material.note !== undefined ? { note: text('materials', material.note, material.noteEn) } : {}),
    })),
    steps: guide.steps.map((step) => ({ stage: text('steps', step.stage, stagesEn?.[step.stage]), description: text('steps', step.description, step.descriptionEn) })),
    agency: text('agency', guide.agency, guide.agencyEn),
    fee: text('fee', guide.fee, guide.feeEn),
    ...(guide.timeLimit.note !== undefined ? { timeLimitNote: text('timeLimit', guide.timeLimit.note, guide.timeLimit.noteEn) } : {}),
    windowNotes: guide.windows.flatMap((window) => {
      const note = notes[window];
      return note === undefined ? [] : [{ window, note: text('windowNotes', note, department?.windowNotesEn?.[window]) }];
    }),
  };
  return { ...texts, chineseOnly: GUIDE_SECTIONS.filter((section) => fellBack.has(section)) };
}
