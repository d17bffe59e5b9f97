import { z } from 'zod';
import type { SyncRecord } from './contract.js';

/**
 * The record kinds the platform accepts, each with its payload schema per
 * schema version. A terminal module that queues a new kind (or a new version
 * of one) adds it here first; until then the platform rejects it permanently
 * and the terminal dead-letters it, so a typo can never stall the queue.
 * Payload schemas are loose objects: they pin the fields the platform relies
 * on and let terminals add more.
 */
const id = z.string().min(1).max(128);
const at = z.iso.datetime({ offset: true });
/** Consultations and complaints share a shape: a category, what the citizen wrote, and optionally a mobile number for the reply. */
const feedbackText = z.looseObject({
  id,
  at,
  category: z.string().min(1).max(32),
  text: z.string().min(1).max(500),
  phone: z.string().regex(/^1[3-9]\d{9}$/).optional(),
  serviceId: id.optional(),
  /** Hex SHA-256 of the token on her slip's QR (platform-contract/contract.ts replyPageKey): finds her phone page. Optional, so older kiosks' records still pass. */
  replyPageKey: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

const caseV1 = z.looseObject({
  caseId: id,
  serviceId: id,
  status: z.string().min(1).max(64),
  /** Pre-acceptance number (electron/host/cases: YS + yymmdd + terminal code + sequence + random check part; 16 digits before the check part existed). */
  number: z.string().regex(/^YS(\d{18}|\d{16})$/),
  submittedAt: at,
  terminalId: id,
  applicant: z.looseObject({ name: z.string().min(1).max(64), idNumber: z.string().min(15).max(18) }),
  /** Per material of the service guide: the pages scanned (images stay on the terminal, identified by sha256). */
  materials: z.array(z.looseObject({ index: z.number().int().nonnegative(), name: z.string(), pages: z.array(z.looseObject({ pageId: id, sha256: z.string().length(64) })) })).max(100),
});
const caseV2 = caseV1
  .extend({
    materials: z
      .array(
        z.looseObject({
          index: z.number().int().nonnegative(),
          name: z.string(),
          pages: z.array(z.looseObject({ pageId: id, sha256: z.string().length(64) })),
          reusedMaterialId: z.string().min(3).max(200).optional(),
        }),
      )
      .max(100),
    reuseConsentAt: at.optional(),
  })
  .refine((payload) => !payload.materials.some((material) => material.reusedMaterialId !== undefined) || payload.reuseConsentAt !== undefined, {
    message: 'a reused material needs reuseConsentAt',
    path: ['reuseConsentAt'],
  });

export const recordKinds: Readonly<Record<string, Readonly<Record<number, z.ZodType>>>> = {
  /** A queue ticket's life (electron/host/queue: issued, called, finished, transferred, voided…). */
  'queue.ticket-event': {
    1: z.looseObject({ id, kind: z.string().min(1).max(32), at, ticket: z.looseObject({ id, displayNo: z.string().min(1).max(16), day: z.string() }) }),
  },
  /**
   * An appointment (预约) checked in at a kiosk (hall/: the hall service's own
   * outbox): which appointment, when, and the priority ticket it got.
   */
  'appointment.checked-in': {
    1: z.looseObject({ id, at, appointmentId: id, ticketId: id, displayNo: z.string().min(1).max(16), categoryId: id, via: z.enum(['card', 'code']) }),
  },
  /** An appointment whose check-in window closed without a check-in: released by the hall service (no-show). */
  'appointment.no-show': {
    1: z.looseObject({ id, at, appointmentId: id, categoryId: id, slotStart: at }),
  },
  /** A case (办件) opened or changed at the kiosk; personal fields travel inside `applicant`. */
  case: {
    1: caseV1,
    /**
     * 一号: a material may be taken from an earlier case instead of scanned —
     * `reusedMaterialId` (`<caseId>:<index>`, as GET /v1/materials listed it)
     * with no pages, and `reuseConsentAt`, when the citizen agreed. A version of
     * its own, so a platform that does not check reuse rejects such a case
     * instead of filing it without the material. Cases without reuse stay at 1.
     */
    2: caseV2,
  },
  /**
   * A citizen's satisfaction rating (好差评), from electron/host/guide, which
   * always sends id, at and reasons (at least one for ≤ 2 stars). Only stars
   * is pinned: the other fields are checked when present.
   */
  rating: {
    1: z.looseObject({
      stars: z.number().int().min(1).max(5),
      id: id.optional(),
      at: at.optional(),
      reasons: z.array(z.string().min(1).max(32)).max(10).optional(),
      text: z.string().max(200).optional(),
      serviceId: id.optional(),
      departmentId: id.optional(),
    }),
  },
  /** A consultation (咨询) left at the kiosk (electron/host/guide); `phone` is the citizen's own, for a reply. */
  consultation: {
    1: feedbackText,
  },
  /** A complaint (投诉) left at the kiosk (electron/host/guide). */
  complaint: {
    1: feedbackText,
  },
  /** A citizen asked for staff at the kiosk (electron/host/robot: robot.callStaff); `reason` is cleaned, ID numbers masked. */
  'help.request': {
    1: z.looseObject({ id, at, terminalId: id, reason: z.string().max(200).optional() }),
  },
  /**
   * A staff or platform operation on the terminal (electron/host/operations):
   * out of service / back in service, restart, log export or upload, with who
   * asked (`staff` at the kiosk, or `platform` with the command id) and how it ended.
   */
  'terminal.operation': {
    1: z.looseObject({
      id,
      at,
      terminalId: id,
      action: z.enum(['maintenance.enter', 'maintenance.exit', 'restart', 'logs.export', 'logs.upload']),
      by: z.enum(['staff', 'platform']),
      outcome: z.enum(['done', 'failed', 'deferred']),
      commandId: id.optional(),
      desk: z.string().max(16).optional(),
      detail: z.string().max(500).optional(),
    }),
  },
  /**
   * The hall queue service's own figures (hall/stats.ts) for one hall day
   * (`hour` null) or one hour of it: rows per scope (hall, category, window).
   * `figuresKey` (`<day>/<hour|day>`) names what the record describes: the
   * platform keeps the newest `generatedAt` per terminal and key, so a
   * re-send (a later revision, or the same one again) overwrites, never
   * duplicates. No personal data.
   */
  'hall.figures': {
    1: z.looseObject({
      figuresKey: z.string().regex(/^\d{4}-\d{2}-\d{2}\/(\d{1,2}|day)$/),
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      hour: z.number().int().min(0).max(23).nullable(),
      generatedAt: at,
      rows: z
        .array(
          z.looseObject({
            scope: z.enum(['hall', 'category', 'window']),
            key: z.string().max(100),
            issued: z.number().int().nonnegative(),
            served: z.number().int().nonnegative(),
            noShows: z.number().int().nonnegative(),
            transfers: z.number().int().nonnegative(),
            waitP50: z.number().nonnegative().nullable(),
            waitP90: z.number().nonnegative().nullable(),
            serviceP50: z.number().nonnegative().nullable(),
            serviceP90: z.number().nonnegative().nullable(),
          }),
        )
        .max(1000),
      /**
       * Day reports: the day's ratings (好差评) by department, as the kiosks
       * reported them to the hall service ('' = no department named).
       * Optional: records of hall services before ratings have none.
       */
      ratings: z
        .array(
          z.looseObject({
            departmentId: z.string().max(100),
            count: z.number().int().positive(),
            average: z.number().min(1).max(5),
            stars: z.array(z.number().int().nonnegative()).length(5),
            lowPercent: z.number().min(0).max(100),
            topReasons: z.array(z.looseObject({ reason: z.string().max(32), count: z.number().int().positive() })).max(10),
          }),
        )
        .max(1000)
        .optional(),
    }),
  },
  /** One citizen session's summary for hall statistics (no personal data). */
  'session.summary': {
    1: z.looseObject({ sessionId: id, startedAt: at, endedAt: at }),
  },
};

/** Why a well-formed record is still refused for good, or null when the platform takes it. */
export function rejectionReason(record: SyncRecord): string | null {
  const versions = recordKinds[record.kind];
  if (versions === undefined) return `unknown record kind "${record.kind}"`;
  const schema = versions[record.schemaVersion];
  if (schema === undefined) {
    const latest = Math.max(...Object.keys(versions).map(Number));
    return record.schemaVersion > latest
      ? `schema version ${record.schemaVersion} of "${record.kind}" is newer than the platform supports (latest ${latest})`
      : `schema version ${record.schemaVersion} of "${record.kind}" is no longer supported`;
  }
  const result = schema.safeParse(record.payload);
  if (result.success) return null;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  return `payload of "${record.kind}" v${record.schemaVersion} is invalid: ${issues.join('; ')}`;
}

/** What a consultation's or complaint's `category` code means, for what is printed or shown outside the kiosk UI (the slip, the phone page). */
export const FEEDBACK_CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'service-guide': '办事指南',
  materials: '材料要求',
  progress: '办理进度',
  policy: '政策咨询',
  attitude: '服务态度',
  efficiency: '办事效率',
  environment: '环境设施',
  charges: '收费问题',
  system: '系统故障',
  other: '其他',
};
