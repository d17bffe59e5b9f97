import type { Hall, Intents, Services } from './schema.js';

/**
 * Both languages for every name the citizen reads: the hall, its floors and
 * areas, departments, queue categories, facilities and services. Returns one
 * line per missing English field (a problem for the loader), so a content
 * editor sees exactly what to add. The guide's long texts (conditions,
 * materials, steps) stay Chinese; the kiosk says so in English mode.
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
