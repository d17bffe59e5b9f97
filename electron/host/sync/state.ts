import type { DeviceHealth } from '../../../devices/device.js';
import { deviceReason } from '../../common/device-reasons.js';
import type { RecordAck, SyncRecord } from '../../../platform-contract/contract.js';
import type { QueuedRow } from '../storage/outbox.js';
import { backoffDelay, type BackoffPolicy } from '../../common/backoff.js';

/**
 * The sync worker's decisions as plain functions over data: which queued rows
 * go in the next batch, what an answer means for each row, and when a failed
 * row may be tried again. No I/O here; worker.ts does the talking.
 */

// The one capped-exponential-backoff-with-jitter helper lives in electron/common (the supervisor uses it too).
export { backoffDelay, type BackoffPolicy } from '../../common/backoff.js';

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

export interface BatchLimits {
  maxRecords: number;
  /** Upper bound of the request body; a single record above it can never be sent. */
  maxBytes: number;
}

export interface PlannedBatch {
  /** In queue order; each row's earlier same-kind rows are synced, dead, or earlier in this batch. */
  records: SyncRecord[];
  /** Rows that can never be sent (unreadable, too large, not a valid record): dead-letter them. */
  unsendable: { id: string; reason: string }[];
  /** The earliest moment a held-back row becomes due, if any is held back. */
  nextDueAt: Date | null;
}

const BATCH_ENVELOPE_BYTES = 32;

export function toSyncRecord(row: QueuedRow): SyncRecord {
  return { id: row.id, kind: row.kind, schemaVersion: row.schemaVersion, payload: row.payload as Record<string, unknown>, createdAt: row.createdAt };
}

function unsendableReason(row: QueuedRow, size: number, limits: BatchLimits): string | null {
  if (row.unreadable !== null) return row.unreadable;
  if (typeof row.payload !== 'object' || row.payload === null || Array.isArray(row.payload)) return 'payload is not a JSON object';
  if (size + BATCH_ENVELOPE_BYTES > limits.maxBytes) return `record is ${size} bytes, larger than the ${limits.maxBytes}-byte batch limit`;
  return null;
}

/**
 * Picks the next batch from pending rows in queue order. Per kind, order is
 * kept: once a row of a kind is not yet due (it is backing off), no later
 * row of that kind is sent before it. Other kinds go on.
 */
export function planBatch(rows: readonly QueuedRow[], now: Date, limits: BatchLimits): PlannedBatch {
  const records: SyncRecord[] = [];
  const unsendable: PlannedBatch['unsendable'] = [];
  const heldKinds = new Set<string>();
  let nextDueAt: Date | null = null;
  let bytes = BATCH_ENVELOPE_BYTES;
  for (const row of rows) {
    if (heldKinds.has(row.kind)) continue;
    if (row.nextAttemptAt !== null && new Date(row.nextAttemptAt) > now) {
      heldKinds.add(row.kind);
      const due = new Date(row.nextAttemptAt);
      if (nextDueAt === null || due < nextDueAt) nextDueAt = due;
      continue;
    }
    const record = row.unreadable === null ? toSyncRecord(row) : null;
    const size = record ? Buffer.byteLength(JSON.stringify(record)) + 1 : 0;
    const reason = unsendableReason(row, size, limits);
    if (reason !== null || record === null) {
      unsendable.push({ id: row.id, reason: reason ?? 'unreadable' });
      continue;
    }
    if (records.length >= limits.maxRecords || bytes + size > limits.maxBytes) break;
    records.push(record);
    bytes += size;
  }
  return { records, unsendable, nextDueAt };
}

export interface AckOutcome {
  /** Acknowledged as accepted or duplicate: the platform holds them. */
  synced: string[];
  /** Refused for good: dead letters. */
  rejected: { id: string; reason: string }[];
  /** Sent but not acknowledged: still pending (see planAnswer for when they are resent). */
  unacked: string[];
  /** Acks naming ids that were not in the batch (ignored, logged). */
  strays: string[];
}

/** What an answer means for each row of the batch that was sent. */
export function interpretAcks(sentIds: readonly string[], acks: readonly RecordAck[]): AckOutcome {
  const sent = new Set(sentIds);
  const byId = new Map<string, RecordAck>();
  const strays: string[] = [];
  for (const ack of acks) {
    if (!sent.has(ack.id)) strays.push(ack.id);
    else if (!byId.has(ack.id)) byId.set(ack.id, ack);
  }
  const outcome: AckOutcome = { synced: [], rejected: [], unacked: [], strays };
  for (const id of sentIds) {
    const ack = byId.get(id);
    if (ack === undefined) outcome.unacked.push(id);
    else if (ack.status === 'rejected') outcome.rejected.push({ id, reason: ack.reason ?? 'rejected by the platform' });
    else outcome.synced.push(id);
  }
  return outcome;
}

/** When each failed row may be tried again: backoff from its own failure count (attempts so far + this one). */
export function retrySchedule(
  rows: readonly { id: string; attempts: number }[],
  now: Date,
  policy: BackoffPolicy,
  random: () => number,
): { id: string; nextAttemptAt: Date }[] {
  return rows.map((row) => ({ id: row.id, nextAttemptAt: new Date(now.getTime() + backoffDelay(row.attempts + 1, policy, random)) }));
}

export interface AnswerPlan {
  synced: string[];
  rejected: { id: string; reason: string }[];
  /** Unacknowledged rows of an answer that made progress: left due, so the next batch resends them at once. */
  resendNow: string[];
  /** Unacknowledged rows of an answer that acknowledged nothing: a failure, each backs off. */
  backOff: { id: string; nextAttemptAt: Date }[];
  strays: string[];
}

/**
 * What a 200 answer to a batch means. A partial acknowledgement is progress,
 * not a failure: the platform answered and held some records, so the rest are
 * resent at once, without counting an attempt (the platform deduplicates by
 * id, so a resend is always safe). Only an answer that acknowledged none of
 * the batch is a failure and backs off — which also ends the loop when the
 * platform keeps leaving the same record unacknowledged.
 */
export function planAnswer(
  sent: readonly { id: string; attempts: number }[],
  acks: readonly RecordAck[],
  now: Date,
  policy: BackoffPolicy,
  random: () => number,
): AnswerPlan {
  const outcome = interpretAcks(
    sent.map((row) => row.id),
    acks,
  );
  const progressed = outcome.synced.length + outcome.rejected.length > 0;
  const unacked = new Set(outcome.unacked);
  return {
    synced: outcome.synced,
    rejected: outcome.rejected,
    strays: outcome.strays,
    resendNow: progressed ? outcome.unacked : [],
    backOff: progressed
      ? []
      : retrySchedule(
          sent.filter((row) => unacked.has(row.id)),
          now,
          policy,
          random,
        ),
  };
}

export interface SyncStatus {
  /** The platform answered our last exchange and accepted our credentials. */
  online: boolean;
  /** Records still waiting to be synced. */
  backlog: number;
  deadLetters: number;
  /** End of the last cycle in which everything due was acknowledged and the platform answered. */
  lastSyncAt: string | null;
  lastError: string | null;
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return a.online === b.online && a.backlog === b.backlog && a.deadLetters === b.deadLetters && a.lastSyncAt === b.lastSyncAt && a.lastError === b.lastError;
}

/** The status as the device health the host puts on its event stream as device `platform`. */
export function platformHealth(status: SyncStatus): DeviceHealth {
  if (!status.online) return { state: 'disconnected', reason: deviceReason('device.platformOffline', { detail: status.lastError }) };
  if (status.deadLetters > 0) return { state: 'degraded', reason: deviceReason('device.platformRejected', { records: status.deadLetters }) };
  return { state: 'ok' };
}
