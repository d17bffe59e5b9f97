import type { ContentPackage, Hall, QueueCategory } from '../content/schema.js';
import type { QueueSnapshot } from '../../../hall/protocol/index.js';
import { isIssuingOpen, type HallCalendar } from '../../../hall/hours.js';
import type { Locale, QueueIssuing } from '../../contract/index.js';
import { inLocale } from '../content/english.js';

type CategorySnapshot = QueueSnapshot['categories'][number];

/**
 * What the kiosk offers to queue for, from the hall content: the categories,
 * the departments (each queues in one category) and the services grouped by
 * life event ("我要办什么"). Pure: content and an optional snapshot in, plain
 * data out (the shapes of electron/contract/queue.ts).
 */
export interface CategoryView {
  id: string;
  name: string;
  prefix: string;
  floor: number;
  windows: string[];
  departmentNames: string[];
  waiting: number | null;
  etaMinutes: number | null;
  issuing: QueueIssuing;
}

export interface KioskCatalog {
  categories: CategoryView[];
  departments: Array<{ id: string; name: string; floor: number; categoryId: string }>;
  /** `id`: the life event as the content names it (stable across languages); `name`: in the citizen's language. */
  lifeEvents: Array<{ id: string; name: string; services: Array<{ id: string; name: string; categoryId: string }> }>;
}

/** The floor of a category: its first department's (a category's departments share a floor in every real hall). */
export function categoryFloor(hall: Hall, category: QueueCategory): number {
  return hall.departments.find((d) => category.departmentIds.includes(d.id))?.floor ?? 1;
}

/** Content names in the citizen's language: English where the package has it (it must: see content/english.ts). */
function named(locale: Locale, item: { name: string; nameEn?: string | undefined }): string {
  return inLocale(locale, item.name, item.nameEn);
}

/** Whether `category` issues tickets at `now`, in the contract's shape (a category of the hall always has a next opening). */
export function issuingView(hall: Hall, category: QueueCategory, now: Date, calendar: HallCalendar): QueueIssuing {
  const status = isIssuingOpen(hall, category.id, now, calendar);
  if (status.open) return { open: true };
  if (status.reason === 'unknown-category') throw new Error(`category ${category.id} is not in the hall`);
  return { open: false, reason: status.reason, nextOpening: status.nextOpening.toISOString() };
}

export function categoryView(hall: Hall, category: QueueCategory, live: CategorySnapshot | undefined, now: Date, calendar: HallCalendar = {}, locale: Locale = 'zh-CN'): CategoryView {
  const issuing = issuingView(hall, category, now, calendar);
  return {
    id: category.id,
    name: named(locale, category),
    prefix: category.prefix,
    floor: categoryFloor(hall, category),
    windows: [...category.windows],
    departmentNames: hall.departments.filter((d) => category.departmentIds.includes(d.id)).map((d) => named(locale, d)),
    // A closed category has nobody to wait behind worth counting: "0 人等候" there would read as "go ahead".
    waiting: issuing.open ? (live?.waiting ?? null) : null,
    etaMinutes: issuing.open ? (live?.etaMinutes ?? null) : null,
    issuing,
  };
}

export function kioskCatalog(content: ContentPackage, snapshot: QueueSnapshot | null, now: Date, calendar: HallCalendar = {}, locale: Locale = 'zh-CN'): KioskCatalog {
  const { hall, services } = content;
  const live = new Map(snapshot?.categories.map((c) => [c.id, c]) ?? []);
  return {
    categories: hall.queueCategories.map((category) => categoryView(hall, category, live.get(category.id), now, calendar, locale)),
    departments: hall.departments.map((d) => ({ id: d.id, name: named(locale, d), floor: d.floor, categoryId: d.queueCategoryId })),
    // In the content's own life-event order; a service appears under each of its life events.
    lifeEvents: services.lifeEvents
      .map((name) => ({
        id: name,
        name: inLocale(locale, name, services.lifeEventsEn?.[name]),
        services: services.services.filter((s) => s.lifeEvents.includes(name)).map((s) => ({ id: s.id, name: named(locale, s), categoryId: s.queueCategoryId })),
      }))
      .filter((group) => group.services.length > 0),
  };
}

/** A service's queue category, or undefined for an unknown service id. */
export function categoryForService(content: ContentPackage, serviceId: string, locale: Locale = 'zh-CN'): { serviceName: string; category: QueueCategory } | undefined {
  const service = content.services.services.find((s) => s.id === serviceId);
  if (service === undefined) return undefined;
  const category = content.hall.queueCategories.find((c) => c.id === service.queueCategoryId);
  return category === undefined ? undefined : { serviceName: named(locale, service), category };
}
