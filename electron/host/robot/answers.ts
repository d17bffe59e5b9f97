import type { Bilingual, Facility } from '../content/schema.js';
import { guideInLocale } from '../content/english.js';
import { intentCatalog, OOS, shortServiceName, type IntentEntry, type RobotContent } from './catalog.js';
import type { IntentCandidate, IntentResult } from './classifier.js';
import type { RobotDecision } from './scope.js';

/**
 * What 浏浏 says and shows, composed from the content package only: intent
 * answer templates with placeholders filled per intents.json `placeholders`,
 * a generic template for services intents.json does not list, the
 * out-of-scope answer, and the "unsure" answer with suggestions.
 */
export type RobotAction = 'ticket' | 'guide' | 'call-staff';

export interface Destination {
  floor: number;
  departmentId?: string;
  facilityId?: string;
  windows: string[];
}

export interface RobotAnswer {
  /** `clarify`: close siblings, asked as one question with the siblings as `suggestions`. */
  kind: 'intent' | 'out-of-scope' | 'unsure' | 'clarify';
  intentId?: string;
  /** Short, for speech synthesis. */
  spoken: string;
  /** The full on-screen answer. */
  text: string;
  destination?: Destination;
  serviceId?: string;
  queueCategoryId?: string;
  materials?: string[];
  fee?: string;
  timeLimit?: string;
  /** "unsure" and "clarify": what the robot thinks the citizen may mean, best first; no two labels alike. */
  suggestions?: { intentId: string; label: string }[];
  /** "out-of-scope": the scope topic whose referral the decline names (absent: the general referral). */
  declineTopic?: string;
  actions: RobotAction[];
}

/** Template for service intents that intents.json has no answer for. */
export const GENERIC_SERVICE_ANSWER = '{serviceName}请到{floor}楼{department}{windows}号窗口办理，取号时选"{queueName}"。需要带：{materials}。费用：{fee}。办理时限：{timeLimit}。';
const UNSURE_TEXT: Bilingual = {
  zh: '{robotName}没太听明白，您是想问下面哪一项？请点一下，或者换个说法再问我。',
  en: '{robotName} did not quite understand. Did you mean one of these? Tap one, or ask in other words.',
};
const UNSURE_SPOKEN: Bilingual = { zh: '您是想问下面哪一项？请在屏幕上点一下。', en: 'Did you mean one of these? Please tap one on the screen.' };
/** The clarifying question, built from the siblings' names: "您要办理的是社会保障卡申领，还是社会保障卡补换？". */
const CLARIFY_TEXT: Bilingual = { zh: '您要办理的是{options}？', en: 'Which one do you need: {options}?' };
const CLARIFY_JOIN: Bilingual = { zh: '，还是', en: ', or ' };
/** Spoken answers stop at the first sentence and at most this many characters. */
const MAX_SPOKEN_CHARS = 40;

/** English versions: content names and the guide's texts (materials, fee) come from the package's `…En` fields. */
export const GENERIC_SERVICE_ANSWER_EN = '{serviceName}: {department}, floor {floor}, windows {windows}. When you take a number, choose "{queueName}". Time limit: {timeLimit}.';
const FACILITY_ANSWER_EN = '{facilityName}: floor {floor}, {location}.';
const FACILITY_ANSWER_NO_FLOOR_EN = '{facilityName}: {location}.';
export type RobotLanguage = 'zh-CN' | 'en';

export interface AnswerOptions {
  /** The floor the robot stands on: a facility on this floor is preferred. */
  currentFloor?: number;
  /** The citizen's language (session.locale); zh-CN by default. */
  locale?: 'zh-CN' | 'en';
}

function english(options: AnswerOptions): boolean {
  return options.locale === 'en';
}

const inLanguage = (text: Bilingual, language: RobotLanguage | undefined): string => (language === 'en' ? text.en : text.zh);

/** Replaces every {name}; an unknown placeholder becomes empty rather than reaching a citizen as "{name}". */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** promisedDays: 0 → "当场办结", n → "n个工作日" (intents.json placeholders.service.timeLimit); English: "on the spot", "n working days". */
export function timeLimitText(promisedDays: number, locale: AnswerOptions['locale'] = 'zh-CN'): string {
  if (locale === 'en') return promisedDays === 0 ? 'done on the spot' : `${promisedDays} working day${promisedDays === 1 ? '' : 's'}`;
  return promisedDays === 0 ? '当场办结' : `${promisedDays}个工作日`;
}

/** Windows for speech: runs of three or more consecutive numbers become "9至16", others are joined with "、". */
export function spokenWindows(windows: readonly string[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < windows.length) {
    let j = i;
    while (j + 1 < windows.length && Number(windows[j + 1]) === Number(windows[j]) + 1) j++;
    if (j - i >= 2) parts.push(`${windows[i]}至${windows[j]}`);
    else for (let k = i; k <= j; k++) parts.push(windows[k] ?? '');
    i = j + 1;
  }
  return parts.join('、');
}

/** English is spoken up to this many characters (whole words): its sentences are longer in letters than Chinese ones. */
const MAX_SPOKEN_CHARS_EN = 160;

/** The first sentence of a text, without parenthetical remarks, at most MAX_SPOKEN_CHARS (cut at a comma when possible); English by its own punctuation, in whole words. */
export function firstSentence(text: string): string {
  if (!/[\u3400-\u9fff]/.test(text)) {
    const sentence = (text.replace(/\s*\([^)]*\)/g, '').match(/^.*?[.!?](?=\s|$)/s)?.[0] ?? text).trim();
    if (sentence.length <= MAX_SPOKEN_CHARS_EN) return sentence;
    return sentence.slice(0, MAX_SPOKEN_CHARS_EN).replace(/\s+\S*$/, '');
  }
  const sentence = (text.replace(/（[^）]*）|\([^)]*\)/g, '').split(/[。！？；\n]/)[0] ?? '').trim();
  if (Array.from(sentence).length <= MAX_SPOKEN_CHARS) return sentence;
  const clauses = sentence.split('，');
  let out = clauses[0] ?? '';
  for (const clause of clauses.slice(1)) {
    if (Array.from(`${out}，${clause}`).length > MAX_SPOKEN_CHARS) break;
    out = `${out}，${clause}`;
  }
  return Array.from(out).slice(0, MAX_SPOKEN_CHARS).join('');
}

function generalValues(content: RobotContent, options: AnswerOptions = {}): Record<string, string> {
  const hall = content.hall;
  if (english(options)) {
    return { hallName: hall.nameEn ?? hall.name, robotName: hall.robot.nameEn ?? hall.robot.name, openingHours: hall.openingHours.summaryEn ?? hall.openingHours.summary, phone: hall.phone, hotline: hall.hotline };
  }
  return { hallName: hall.name, robotName: hall.robot.name, openingHours: hall.openingHours.summary, phone: hall.phone, hotline: hall.hotline };
}

/** The listed facility on the robot's floor, else the first one listed (intents.json placeholders rule). */
export function pickFacility(content: RobotContent, facilityIds: readonly string[], currentFloor?: number): Facility | undefined {
  const facilities = facilityIds.map((id) => content.hall.facilities.find((f) => f.id === id)).filter((f) => f !== undefined);
  return facilities.find((f) => currentFloor !== undefined && f.floor === currentFloor) ?? facilities[0];
}

/** Facility types whose staff the robot can call over, and the one that issues tickets: actions follow the data, not intent ids. */
const STAFFED_FACILITY_TYPES = new Set(['info-desk', 'assist']);
const TICKET_FACILITY_TYPES = new Set(['ticket']);

function facilityAnswer(content: RobotContent, entry: IntentEntry, options: AnswerOptions): RobotAnswer {
  const facility = pickFacility(content, entry.facilityIds ?? [], options.currentFloor);
  const en = english(options);
  const values: Record<string, string> = { ...generalValues(content, options) };
  if (facility) {
    Object.assign(values, {
      facilityName: en ? (facility.nameEn ?? facility.name) : facility.name,
      floor: facility.floor === null ? '' : String(facility.floor),
      location: en ? (facility.locationEn ?? facility.location) : facility.location,
      windows: (facility.windows ?? []).join(en ? ', ' : '、'),
    });
  }
  const englishTemplate = entry.answerEn ?? (facility?.floor === null ? FACILITY_ANSWER_NO_FLOOR_EN : FACILITY_ANSWER_EN);
  const text = fillTemplate(en ? englishTemplate : (entry.answer ?? ''), values);
  const answer: RobotAnswer = { kind: 'intent', intentId: entry.id, spoken: firstSentence(text), text, actions: [] };
  if (facility && facility.available && facility.floor !== null) {
    answer.destination = { floor: facility.floor, facilityId: facility.id, windows: facility.windows ?? [] };
    answer.actions.push('guide');
    if (STAFFED_FACILITY_TYPES.has(facility.type)) answer.actions.push('call-staff');
    if (TICKET_FACILITY_TYPES.has(facility.type)) answer.actions.push('ticket');
  }
  return answer;
}

function serviceAnswer(content: RobotContent, entry: IntentEntry, serviceId: string, options: AnswerOptions = {}): RobotAnswer | undefined {
  const service = content.services.services.find((s) => s.id === serviceId);
  const department = service && content.hall.departments.find((d) => d.id === service.departmentId);
  const queue = service && content.hall.queueCategories.find((q) => q.id === service.queueCategoryId);
  if (!service || !department || !queue) return undefined;
  const en = english(options);
  // The guide's texts in the citizen's language (the content's English, each falling back to its Chinese).
  const texts = guideInLocale(service, department, options.locale ?? 'zh-CN');
  const materials = texts.materials.filter((m) => m.required).map((m) => m.name);
  const timeLimit = timeLimitText(service.guide.timeLimit.promisedDays, options.locale);
  const departmentName = en ? (department.nameEn ?? department.name) : department.name;
  const values = {
    ...generalValues(content, options),
    serviceName: en ? (service.nameEn ?? service.name) : service.name,
    department: departmentName,
    floor: String(department.floor),
    windows: service.guide.windows.join(en ? ', ' : '、'),
    materials: materials.join(en ? ', ' : '、'),
    fee: texts.fee,
    timeLimit,
    queueName: en ? (queue.nameEn ?? queue.name) : queue.name,
    queuePrefix: queue.prefix,
  };
  return {
    kind: 'intent',
    intentId: entry.id,
    spoken: en
      ? `Please go to the ${departmentName}, floor ${department.floor}, windows ${spokenWindows(service.guide.windows).replace(/、/g, ', ').replace('至', ' to ')}.`
      : `请到${department.floor}楼${department.name}${spokenWindows(service.guide.windows)}号窗口办理`,
    text: fillTemplate(en ? (entry.answerEn ?? GENERIC_SERVICE_ANSWER_EN) : (entry.answer ?? GENERIC_SERVICE_ANSWER), values),
    destination: { floor: department.floor, departmentId: department.id, windows: service.guide.windows },
    serviceId: service.id,
    queueCategoryId: queue.id,
    materials,
    fee: texts.fee,
    timeLimit,
    actions: ['ticket', 'guide'],
  };
}

/**
 * The decline. With a scope list (intents.json `scope`): "本大厅办理不了" and
 * where to go instead — the named topic's referral ("银行卡、存折挂失…请联系发卡银行"),
 * else the scope's fallback (not understood, ask again or call 12345). Without one: `outOfScopeAnswer`.
 */
export function composeOutOfScopeAnswer(content: RobotContent, options: AnswerOptions & { topicId?: string | undefined } = {}): RobotAnswer {
  const values = generalValues(content, options);
  const scope = content.intents.scope;
  if (!scope) {
    const template = english(options) ? (content.intents.outOfScopeAnswerEn ?? content.intents.outOfScopeAnswer) : content.intents.outOfScopeAnswer;
    const text = fillTemplate(template, values);
    return { kind: 'out-of-scope', spoken: text, text, actions: [] };
  }
  const topic = options.topicId === undefined ? undefined : scope.topics.find((t) => t.id === options.topicId);
  // Naming no topic, the robot may simply not have understood: it says so, rather than that the hall cannot do it.
  const text = topic
    ? fillTemplate(inLanguage(scope.decline, options.locale), { ...values, referral: fillTemplate(inLanguage(topic.referral, options.locale), values) })
    : fillTemplate(inLanguage(scope.fallback, options.locale), values);
  return { kind: 'out-of-scope', spoken: text, text, ...(topic ? { declineTopic: topic.id } : {}), actions: [] };
}

/** What a suggestion button says: the service's short name, the facility's name, or the intent's first example. */
export function intentLabel(content: RobotContent, entry: IntentEntry, options: AnswerOptions = {}): string {
  if (entry.serviceId !== undefined) {
    const service = content.services.services.find((s) => s.id === entry.serviceId);
    if (service) return english(options) && service.nameEn !== undefined ? service.nameEn : shortServiceName(service.name);
  }
  if (entry.type === 'facility') {
    const facility = pickFacility(content, entry.facilityIds ?? []);
    if (facility) return english(options) ? (facility.nameEn ?? facility.name) : facility.name;
  }
  return entry.examples[0] ?? entry.id;
}

/** Whether the service's short name is also another service's (the three "住房公积金提取" kinds). */
function sharedShortName(content: RobotContent, serviceId: string | undefined): boolean {
  const service = content.services.services.find((s) => s.id === serviceId);
  if (!service) return false;
  const short = shortServiceName(service.name);
  return content.services.services.some((other) => other.id !== service.id && shortServiceName(other.name) === short);
}

/**
 * Suggestion buttons for candidates: the intents' labels, and where two labels
 * are alike (the three "住房公积金提取" kinds) the services' full names, so no
 * label shows twice.
 */
export function suggestionsFor(content: RobotContent, candidates: readonly IntentCandidate[], options: AnswerOptions = {}): { intentId: string; label: string }[] {
  const catalog = new Map(intentCatalog(content).map((entry) => [entry.id, entry]));
  const entries = candidates.map((c) => catalog.get(c.intentId)).filter((entry) => entry !== undefined);
  const labels = entries.map((entry) => intentLabel(content, entry, options));
  const out: { intentId: string; label: string }[] = [];
  entries.forEach((entry, i) => {
    let label = labels[i] ?? entry.id;
    // Alike here, or anywhere in the hall ("住房公积金提取" alone would not say which of three kinds this is).
    if (labels.filter((l) => l === label).length > 1 || sharedShortName(content, entry.serviceId)) label = content.services.services.find((s) => s.id === entry.serviceId)?.name ?? label;
    if (!out.some((s) => s.label === label)) out.push({ intentId: entry.id, label });
  });
  return out;
}

/** "Did you mean…": up to three suggestions from the classifier's top 3. */
export function composeUnsureAnswer(content: RobotContent, candidates: readonly IntentCandidate[], options: AnswerOptions = {}): RobotAnswer {
  const language = options.locale;
  const suggestions = suggestionsFor(content, candidates.slice(0, 3), options);
  const text = `${fillTemplate(inLanguage(UNSURE_TEXT, language), generalValues(content, options))}\n${suggestions.map((s, i) => `${i + 1}. ${s.label}`).join('\n')}`;
  return { kind: 'unsure', spoken: inLanguage(UNSURE_SPOKEN, language), text, suggestions, actions: ['call-staff'] };
}

/** One short question between close siblings, built from their names, with the siblings as the answers to tap. */
export function composeClarifyAnswer(content: RobotContent, siblings: readonly IntentCandidate[], options: AnswerOptions = {}): RobotAnswer {
  const language = options.locale;
  const suggestions = suggestionsFor(content, siblings, options);
  const text = fillTemplate(inLanguage(CLARIFY_TEXT, language), { options: suggestions.map((s) => s.label).join(inLanguage(CLARIFY_JOIN, language)) });
  return { kind: 'clarify', spoken: text, text, suggestions, actions: ['call-staff'] };
}

/** The answer for one intent; an id the content does not know gets the out-of-scope answer. */
export function composeAnswer(content: RobotContent, intentId: string, options: AnswerOptions = {}): RobotAnswer {
  const entry = intentCatalog(content).find((e) => e.id === intentId);
  if (!entry || intentId === OOS) return composeOutOfScopeAnswer(content, options);
  if (entry.serviceId !== undefined) return serviceAnswer(content, entry, entry.serviceId, options) ?? composeOutOfScopeAnswer(content, options);
  if (entry.facilityIds !== undefined) return facilityAnswer(content, entry, options);
  const text = fillTemplate((english(options) ? entry.answerEn : undefined) ?? entry.answer ?? '', generalValues(content, options));
  return { kind: 'intent', intentId: entry.id, spoken: firstSentence(text), text, actions: [] };
}

/** The whole reply to a decision: decline (naming where to go), ask between siblings, offer suggestions, or answer. */
export function answerFor(content: RobotContent, result: IntentResult | RobotDecision, options: AnswerOptions = {}): RobotAnswer {
  const decision: RobotDecision = result;
  if (decision.intentId === OOS) return composeOutOfScopeAnswer(content, { ...options, topicId: decision.declineTopic });
  if (decision.clarify && decision.clarify.length > 1) return composeClarifyAnswer(content, decision.clarify, options);
  if (decision.unsure) return composeUnsureAnswer(content, decision.suggest ?? decision.top3, options);
  return composeAnswer(content, decision.intentId, options);
}

export interface FloorMapArea {
  name: string;
  description: string;
  departmentIds: string[];
  facilityIds: string[];
  highlighted: boolean;
}

export interface FloorMap {
  floor: number;
  name: string;
  areas: FloorMapArea[];
}

/** A floor's areas for the UI map, with the area holding `highlight` (a destination) marked; undefined for an unknown floor. */
export function floorMap(content: RobotContent, floor: number, highlight?: Pick<Destination, 'departmentId' | 'facilityId'>, locale: AnswerOptions['locale'] = 'zh-CN'): FloorMap | undefined {
  const entry = content.hall.floors.find((f) => f.floor === floor);
  if (!entry) return undefined;
  const en = locale === 'en';
  return {
    floor: entry.floor,
    name: en ? (entry.nameEn ?? entry.name) : entry.name,
    areas: entry.areas.map((area) => ({
      name: en ? (area.nameEn ?? area.name) : area.name,
      description: area.description,
      departmentIds: [...area.departmentIds],
      facilityIds: [...area.facilityIds],
      highlighted:
        (highlight?.departmentId !== undefined && area.departmentIds.includes(highlight.departmentId)) ||
        (highlight?.facilityId !== undefined && area.facilityIds.includes(highlight.facilityId)),
    })),
  };
}
