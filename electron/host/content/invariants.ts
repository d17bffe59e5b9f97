import type { Hall, Intents, Services } from './schema.js';

/**
 * Cross-file invariants of a content package (content/hall/README.md,
 * "Invariants"). Pure: returns every problem found, so a hall editor sees
 * all of them at once instead of fixing one per restart.
 */
export function checkInvariants(hall: Hall, services: Services, intents: Intents): string[] {
  const problems: string[] = [];
  const report = (where: string, message: string): void => {
    problems.push(`${where}: ${message}`);
  };

  const uniqueIds = <T extends { id: string }>(kind: string, items: readonly T[]): Map<string, T> => {
    const byId = new Map<string, T>();
    items.forEach((item, index) => {
      if (byId.has(item.id)) report(`${kind}[${index}]`, `duplicate id "${item.id}"`);
      byId.set(item.id, item);
    });
    return byId;
  };
  const departments = uniqueIds('hall.departments', hall.departments);
  const categories = uniqueIds('hall.queueCategories', hall.queueCategories);
  const facilities = uniqueIds('hall.facilities', hall.facilities);
  const serviceById = uniqueIds('services.services', services.services);
  uniqueIds('intents.intents', intents.intents);

  const mustExist = (where: string, kind: string, map: Map<string, unknown>, ref: string): void => {
    if (!map.has(ref)) report(where, `unknown ${kind} "${ref}"`);
  };

  hall.floors.forEach((floor, f) =>
    floor.areas.forEach((area, a) => {
      area.departmentIds.forEach((ref) => mustExist(`hall.floors[${f}].areas[${a}]`, 'department', departments, ref));
      area.facilityIds.forEach((ref) => mustExist(`hall.floors[${f}].areas[${a}]`, 'facility', facilities, ref));
    }),
  );
  hall.openingHours.saturday.departmentIds.forEach((ref) => mustExist('hall.openingHours.saturday', 'department', departments, ref));

  // Each window belongs to exactly one department or facility.
  const windowOwner = new Map<string, string>();
  const claimWindow = (window: string, owner: string): void => {
    const previous = windowOwner.get(window);
    if (previous !== undefined && previous !== owner) report(owner, `window ${window} already belongs to ${previous}`);
    windowOwner.set(window, owner);
  };
  hall.departments.forEach((dept) => dept.windows.forEach((w) => claimWindow(w, `department ${dept.id}`)));
  hall.facilities.forEach((fac) => (fac.windows ?? []).forEach((w) => claimWindow(w, `facility ${fac.id}`)));

  // Departments ↔ queue categories.
  const prefixes = new Map<string, string>();
  for (const category of hall.queueCategories) {
    const other = prefixes.get(category.prefix);
    if (other !== undefined) report(`queueCategory ${category.id}`, `prefix ${category.prefix} is also used by ${other}`);
    prefixes.set(category.prefix, category.id);
    const union = new Set<string>();
    for (const ref of category.departmentIds) {
      const dept = departments.get(ref);
      if (!dept) {
        report(`queueCategory ${category.id}`, `unknown department "${ref}"`);
        continue;
      }
      dept.windows.forEach((w) => union.add(w));
    }
    const declared = new Set(category.windows);
    if (union.size !== declared.size || [...union].some((w) => !declared.has(w))) {
      report(`queueCategory ${category.id}`, 'windows must equal the union of its departments\' windows');
    }
  }
  for (const dept of hall.departments) {
    const category = categories.get(dept.queueCategoryId);
    if (!category) {
      report(`department ${dept.id}`, `unknown queue category "${dept.queueCategoryId}"`);
      continue;
    }
    if (!category.departmentIds.includes(dept.id)) report(`department ${dept.id}`, `queue category ${category.id} does not list it`);
    if (category.prefix !== dept.queuePrefix) report(`department ${dept.id}`, `queuePrefix ${dept.queuePrefix} differs from its category's prefix ${category.prefix}`);
    const owners = hall.queueCategories.filter((c) => c.departmentIds.includes(dept.id));
    if (owners.length > 1) report(`department ${dept.id}`, `belongs to ${owners.length} queue categories`);
  }

  // Services.
  const stageOrder = services.stages;
  services.services.forEach((svc) => {
    const where = `service ${svc.id}`;
    const dept = departments.get(svc.departmentId);
    if (!dept) report(where, `unknown department "${svc.departmentId}"`);
    if (!categories.has(svc.queueCategoryId)) report(where, `unknown queue category "${svc.queueCategoryId}"`);
    if (dept && dept.queueCategoryId !== svc.queueCategoryId) report(where, `queue category must be its department's (${dept.queueCategoryId})`);
    if (dept) svc.guide.windows.forEach((w) => dept.windows.includes(w) || report(where, `window ${w} is not a window of ${dept.id}`));
    svc.relatedServiceIds.forEach((ref) => mustExist(where, 'related service', serviceById, ref));
    if (!services.audiences.includes(svc.audience)) report(where, `audience "${svc.audience}" is not one of ${services.audiences.join('/')}`);
    if (!services.onlineModes.includes(svc.online)) report(where, `online mode "${svc.online}" is not one of ${services.onlineModes.join('/')}`);
    svc.lifeEvents.forEach((e) => services.lifeEvents.includes(e) || report(where, `unknown life event "${e}"`));
    const stageIndexes = svc.guide.steps.map((s) => stageOrder.indexOf(s.stage));
    if (stageIndexes.some((i) => i < 0)) report(where, 'a step uses an unknown stage');
    else if (stageIndexes.some((i, k) => k > 0 && i <= (stageIndexes[k - 1] ?? -1))) report(where, 'steps must follow the stage order');
    if (svc.guide.steps[0]?.stage !== stageOrder[0] || svc.guide.steps.at(-1)?.stage !== stageOrder.at(-1)) {
      report(where, `steps must start with ${stageOrder[0]} and end with ${stageOrder.at(-1)}`);
    }
    if (!svc.guide.materials.some((m) => m.required)) report(where, 'needs at least one required material');
    const { statutoryDays, promisedDays } = svc.guide.timeLimit;
    if (statutoryDays !== null && promisedDays > statutoryDays) report(where, 'promisedDays exceeds statutoryDays');
  });

  // Intents.
  for (const intent of intents.intents) {
    const where = `intent ${intent.id}`;
    if (intent.type === 'service') {
      if (intent.serviceId === undefined) report(where, 'a service intent needs serviceId');
      else {
        mustExist(where, 'service', serviceById, intent.serviceId);
        if (intent.id !== `svc:${intent.serviceId}`) report(where, `id must be svc:${intent.serviceId}`);
      }
    }
    (intent.facilityIds ?? []).forEach((ref) => mustExist(where, 'facility', facilities, ref));
    const allowed = new Set([...Object.keys(intents.placeholders['general'] ?? {}), ...Object.keys(intents.placeholders[intent.type] ?? {})]);
    if (intent.type === 'general' && intent.facilityIds) Object.keys(intents.placeholders['facility'] ?? {}).forEach((p) => allowed.add(p));
    for (const match of intent.answer.matchAll(/\{(\w+)\}/g)) {
      const name = match[1] ?? '';
      if (!allowed.has(name)) report(where, `placeholder {${name}} is not allowed for a ${intent.type} intent`);
    }
  }

  // Scope: unique topic ids; a term names one topic only (compared as the robot reads text: NFKC, lower case, letters/digits/Han only).
  if (intents.scope) {
    const topics = uniqueIds('intents.scope.topics', intents.scope.topics);
    const owner = new Map<string, string>();
    for (const topic of topics.values()) {
      for (const term of topic.terms) {
        const key = term.normalize('NFKC').toLowerCase().replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '');
        if (key === '') report(`intents.scope.topics ${topic.id}`, `term "${term}" has no letters, digits or Chinese characters`);
        else if (owner.has(key) && owner.get(key) !== topic.id) report(`intents.scope.topics ${topic.id}`, `term "${term}" also names topic "${owner.get(key) ?? ''}"`);
        else owner.set(key, topic.id);
      }
    }
    for (const lang of ['zh', 'en'] as const) if (!intents.scope.decline[lang].includes('{referral}')) report(`intents.scope.decline.${lang}`, 'needs the {referral} placeholder');
  }
  return problems;
}
