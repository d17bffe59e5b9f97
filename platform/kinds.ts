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

export const recordKinds: Readonly<Record<string, Readonly<Record<number, z.ZodType>>>> = {
  /** A queue ticket's life (electron/host/queue: issued, called, finished, transferred, voided…). */
  'queue.ticket-event': {
    1: z.looseObject({ id, kind: z.string().min(1).max(32), at, ticket: z.looseObject({ id, displayNo: z.string().min(1).max(16), day: z.string() }) }),
  },
  /** A case (办件) opened or changed at the kiosk; personal fields travel inside `applicant`. */
  case: {
    1: z.looseObject({ caseId: id, serviceId: id, status: z.string().min(1).max(64) }),
  },
  /** A citizen's satisfaction rating (好差评). */
  rating: {
    1: z.looseObject({ stars: z.number().int().min(1).max(5) }),
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
