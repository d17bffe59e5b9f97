import { z } from 'zod';

/**
 * Schemas of a hall content package (hall.json, services.json, intents.json).
 * Field meanings: content/hall/README.md. Cross-file invariants are checked in
 * invariants.ts; this file only describes shapes.
 */
const id = z.string().min(1).max(100);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const windowNo = z.string().regex(/^\d{1,3}$/, 'window numbers are 1–3 digit strings');
const session = z.object({ start: hhmm, end: hhmm });

export const Hall = z.object({
  version: z.string(),
  id,
  name: z.string().min(1),
  /** English beside every name the citizen reads (see english.ts: the loader reports any that is missing). */
  nameEn: z.string().min(1).optional(),
  fullName: z.string().min(1),
  fullNameEn: z.string().min(1).optional(),
  fictional: z.boolean().optional(),
  disclaimer: z.string().optional(),
  province: z.string(),
  city: z.string(),
  address: z.string(),
  addressEn: z.string().min(1).optional(),
  phone: z.string(),
  hotline: z.string(),
  /**
   * Where a citizen collects a document the kiosk saved because no A4 printer
   * took it ("1号咨询台"): the screen says "已保存，请到…打印", never a file path.
   */
  documentPickup: z
    .string()
    .min(1)
    .max(30)
    .refine((place) => !/[\\/]/.test(place), 'a place in the hall (e.g. 1号咨询台), not a file path'),
  /** The same place in English ("the information desk on floor 1"), for "Saved: please have it printed at …". */
  documentPickupEn: z.string().min(1).max(60).optional(),
  robot: z.object({ name: z.string().min(1), nameEn: z.string().min(1).optional(), pinyin: z.string() }),
  openingHours: z.object({
    summary: z.string(),
    summaryEn: z.string().min(1).optional(),
    weekday: z.object({ days: z.array(z.string()), morning: session, afternoon: session, ticketCutoff: z.object({ morning: hhmm, afternoon: hhmm }) }),
    saturday: z.object({
      days: z.array(z.string()),
      morning: session,
      afternoon: session.nullable(),
      ticketCutoff: z.object({ morning: hhmm, afternoon: hhmm.optional() }),
      departmentIds: z.array(id),
      note: z.string().optional(),
    }),
    closed: z.string(),
    selfServiceArea: z.string(),
    note: z.string().optional(),
  }),
  floors: z.array(
    z.object({
      floor: z.number().int().min(1).max(50),
      name: z.string(),
      nameEn: z.string().min(1).optional(),
      areas: z.array(z.object({ name: z.string(), nameEn: z.string().min(1).optional(), departmentIds: z.array(id), facilityIds: z.array(id), description: z.string() })),
    }),
  ),
  departments: z.array(
    z.object({
      id,
      name: z.string().min(1),
      nameEn: z.string().min(1).optional(),
      fullName: z.string().min(1),
      fullNameEn: z.string().min(1).optional(),
      floor: z.number().int(),
      windows: z.array(windowNo),
      queuePrefix: z.string().regex(/^[A-Z]$/),
      queueCategoryId: id,
      description: z.string(),
      windowNotes: z.record(windowNo, z.string()).optional(),
      /** The same notes in English, keyed by the same windows (a window here without a Chinese note is a content error). */
      windowNotesEn: z.record(windowNo, z.string().min(1)).optional(),
    }),
  ),
  queueCategories: z.array(
    z.object({
      id,
      name: z.string().min(1),
      nameEn: z.string().min(1).optional(),
      prefix: z.string().regex(/^[A-Z]$/, 'a prefix is one capital letter'),
      departmentIds: z.array(id).min(1),
      windows: z.array(windowNo),
      avgServiceMinutes: z.number().positive(),
    }),
  ),
  facilities: z.array(
    z.object({
      id,
      type: z.string(),
      name: z.string(),
      nameEn: z.string().min(1).optional(),
      floor: z.number().int().nullable(),
      location: z.string(),
      locationEn: z.string().min(1).optional(),
      available: z.boolean(),
      windows: z.array(windowNo).optional(),
      hours: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
});
export type Hall = z.infer<typeof Hall>;
export type Department = Hall['departments'][number];
export type QueueCategory = Hall['queueCategories'][number];
export type Facility = Hall['facilities'][number];

/**
 * The guide's long texts may each carry their English beside them (`…En`):
 * optional, and where one is missing the kiosk shows that text in Chinese
 * (english.ts `guideInLocale`). An English text with no Chinese one, or a
 * `conditionsEn` that does not pair with `conditions`, is a content error
 * (english.ts `guideEnglishProblems`).
 */
const english = z.string().min(1).optional();

export const Material = z.object({
  name: z.string().min(1),
  nameEn: english,
  copies: z.number().int().nonnegative(),
  original: z.boolean(),
  required: z.boolean(),
  note: z.string().optional(),
  noteEn: english,
});

export const Service = z.object({
  id,
  name: z.string().min(1),
  nameEn: z.string().min(1).optional(),
  departmentId: id,
  queueCategoryId: id,
  audience: z.string(),
  lifeEvents: z.array(z.string()),
  online: z.string(),
  selfService: z.boolean(),
  keywords: z.array(z.string()),
  relatedServiceIds: z.array(id),
  guide: z.object({
    basis: z.string(),
    basisEn: english,
    conditions: z.array(z.string()),
    /** The conditions in English, same length and order as `conditions`. */
    conditionsEn: z.array(z.string().min(1)).optional(),
    materials: z.array(Material).min(1),
    steps: z.array(z.object({ stage: z.string(), description: z.string(), descriptionEn: english })).min(2),
    agency: z.string(),
    agencyEn: english,
    fee: z.string(),
    feeEn: english,
    timeLimit: z.object({ statutoryDays: z.number().int().nonnegative().nullable(), promisedDays: z.number().int().nonnegative(), note: z.string().optional(), noteEn: english }),
    windows: z.array(windowNo).min(1),
    onlineUrlHint: z.string().nullable(),
  }),
});
export type Service = z.infer<typeof Service>;

export const Services = z.object({
  version: z.string(),
  lifeEvents: z.array(z.string()).min(1),
  /** English for each life event tag (the ticket screen's tabs): `{"生育收养": "Births and adoption", …}`. */
  lifeEventsEn: z.record(z.string(), z.string().min(1)).optional(),
  audiences: z.array(z.string()).min(1),
  onlineModes: z.array(z.string()).min(1),
  /** English for each online mode (the guide's 网上办理 in English): `{"全程网办": "Fully online", …}`. */
  onlineModesEn: z.record(z.string(), z.string().min(1)).optional(),
  stages: z.array(z.string()).min(2),
  /** English for each stage (printed receipts in English): `{"申请": "Application", …}`. */
  stagesEn: z.record(z.string(), z.string().min(1)).optional(),
  services: z.array(Service),
});
export type Services = z.infer<typeof Services>;

export const Intent = z.object({
  id: z.string().regex(/^(svc|fac|gen):[\w-]+$/, 'intent ids are svc:…, fac:… or gen:…'),
  type: z.enum(['service', 'facility', 'general']),
  serviceId: id.optional(),
  facilityIds: z.array(id).optional(),
  examples: z.array(z.string().min(1)),
  answer: z.string().min(1),
  /** The short answer in English, same placeholders; absent = the robot answers in Chinese (the loader lists these). */
  answerEn: z.string().min(1).optional(),
});
export type Intent = z.infer<typeof Intent>;

/** A text the robot says, in Chinese and English (the kiosk's two languages). */
export const Bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
export type Bilingual = z.infer<typeof Bilingual>;

/**
 * Something citizens ask about here that this hall does not do (banks,
 * utilities, courts…), with where to go instead. `terms` are the key objects
 * that name it in a question ("银行卡", "存折", "bank card"); a question
 * naming one is declined with this topic's referral unless the intent it
 * matched is itself about that object.
 */
export const OutOfScopeTopic = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'topic ids are lower-case words joined by "-"'),
    name: Bilingual,
    terms: z.array(z.string().trim().min(1).max(40)).min(1),
    referral: Bilingual,
  })
  .strict();
export type OutOfScopeTopic = z.infer<typeof OutOfScopeTopic>;

/**
 * What the hall does not do: the decline for a question naming a topic
 * ("{referral}" filled from the topic), the whole answer when it names none
 * (`fallback`: not understood or not done here, and the 12345 hotline), and the topics.
 */
export const Scope = z
  .object({
    decline: Bilingual,
    fallback: Bilingual,
    topics: z.array(OutOfScopeTopic).min(1),
  })
  .strict();
export type Scope = z.infer<typeof Scope>;

export const Intents = z.object({
  version: z.string(),
  robotName: z.string(),
  language: z.string(),
  placeholders: z.record(z.string(), z.record(z.string(), z.string())),
  intents: z.array(Intent),
  outOfScope: z.array(z.string()),
  outOfScopeAnswer: z.string(),
  outOfScopeAnswerEn: z.string().min(1).optional(),
  /** What the hall does not do and where to go instead (optional: without it the robot declines with outOfScopeAnswer). */
  scope: Scope.optional(),
});
export type Intents = z.infer<typeof Intents>;

/** A validated content package, as the host uses it. */
export interface ContentPackage {
  hall: Hall;
  services: Services;
  intents: Intents;
  /** sha256 over the three files, in order: identifies the package. */
  hash: string;
  dir: string;
}
