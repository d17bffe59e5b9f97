import type { ContentPackage, Hall, QueueCategory } from '../content/schema.js';
import type { QueueSnapshot } from '../../../hall/protocol/index.js';

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
}

export interface KioskCatalog {
  categories: CategoryView[];
  departments: Array<{ id: string; name: string; floor: number; categoryId: string }>;
  lifeEvents: Array<{ name: string; services: Array<{ id: string; name: string; categoryId: string }> }>;
}

/** The floor of a category: its first department's (a category's departments share a floor in every real hall). */
export function categoryFloor(hall: Hall, category: QueueCategory): number {
  return hall.departments.find((d) => category.departmentIds.includes(d.id))?.floor ?? 1;
}

export function categoryView(hall: Hall, category: QueueCategory, live: CategorySnapshot | undefined): CategoryView {
  return {
    id: category.id,
    name: category.name,
    prefix: category.prefix,
    floor: categoryFloor(hall, category),
    windows: [...category.windows],
    departmentNames: hall.departments.filter((d) => category.departmentIds.includes(d.id)).map((d) => d.name),
    waiting: live?.waiting ?? null,
    etaMinutes: live?.etaMinutes ?? null,
  };
}

export function kioskCatalog(content: ContentPackage, snapshot: QueueSnapshot | null): KioskCatalog {
  const { hall, services } = content;
  const live = new Map(snapshot?.categories.map((c) => [c.id, c]) ?? []);
  return {
    categories: hall.queueCategories.map((category) => categoryView(hall, category, live.get(category.id))),
    departments: hall.departments.map((d) => ({ id: d.id, name: d.name, floor: d.floor, categoryId: d.queueCategoryId })),
    // In the content's own life-event order; a service appears under each of its life events.
    lifeEvents: services.lifeEvents
      .map((name) => ({
        name,
        services: services.services.filter((s) => s.lifeEvents.includes(name)).map((s) => ({ id: s.id, name: s.name, categoryId: s.queueCategoryId })),
      }))
      .filter((group) => group.services.length > 0),
  };
}

/** A service's queue category, or undefined for an unknown service id. */
export function categoryForService(content: ContentPackage, serviceId: string): { serviceName: string; category: QueueCategory } | undefined {
  const service = content.services.services.find((s) => s.id === serviceId);
  if (service === undefined) return undefined;
  const category = content.hall.queueCategories.find((c) => c.id === service.queueCategoryId);
  return category === undefined ? undefined : { serviceName: service.name, category };
}
