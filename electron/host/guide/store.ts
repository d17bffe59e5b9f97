import type { DataKey } from '../storage/crypto.js';
import type { Database, Migration } from '../storage/database.js';
import type { Outbox } from '../storage/outbox.js';
import type { CleanFeedback } from './feedback.js';

/**
 * Consultations, complaints and ratings on the terminal: one `feedback` row
 * and its outbox row, written in one transaction. What a citizen wrote (text,
 * phone number) and who she is (masked name) are sealed with the data key;
 * the columns left in clear are the ones hall statistics need.
 */
export const feedbackMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create feedback',
    up: `CREATE TABLE feedback (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('consultation', 'complaint', 'rating')),
      category TEXT,
      stars INTEGER CHECK (stars BETWEEN 1 AND 5),
      reasons TEXT,
      service_id TEXT,
      department_id TEXT,
      session_id TEXT,
      sealed BLOB NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX feedback_kind_created ON feedback (kind, created_at);`,
  },
];

export interface FeedbackRecord {
  id: string;
  at: Date;
  terminalId: string;
  sessionId: string | null;
  /** Only for a citizen who swiped her card: 张*丰. Never the full name or ID number. */
  maskedName?: string;
  feedback: CleanFeedback;
}

/** The outbox payload (sealed by the outbox); its shape is what platform-contract/kinds.ts accepts for the kind. */
export function feedbackPayload(record: FeedbackRecord): Record<string, unknown> {
  const { feedback } = record;
  return {
    id: record.id,
    at: record.at.toISOString(),
    terminalId: record.terminalId,
    ...(record.sessionId !== null ? { sessionId: record.sessionId } : {}),
    ...(record.maskedName !== undefined ? { citizen: { maskedName: record.maskedName } } : {}),
    ...feedback,
  };
}

export async function storeFeedback(db: Database, outbox: Outbox, key: DataKey, record: FeedbackRecord): Promise<void> {
  const { feedback } = record;
  const personal = {
    text: feedback.text ?? null,
    phone: feedback.kind === 'rating' ? null : (feedback.phone ?? null),
    maskedName: record.maskedName ?? null,
  };
  await db.transaction(async (tx) => {
    await tx.run(
      'INSERT INTO feedback (id, kind, category, stars, reasons, service_id, department_id, session_id, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        record.id,
        feedback.kind,
        feedback.kind === 'rating' ? null : feedback.category,
        feedback.kind === 'rating' ? feedback.stars : null,
        feedback.kind === 'rating' ? JSON.stringify(feedback.reasons) : null,
        feedback.serviceId ?? null,
        feedback.kind === 'rating' ? (feedback.departmentId ?? null) : null,
        record.sessionId,
        key.sealJson(personal),
        record.at.toISOString(),
      ],
    );
    await outbox.append(tx, { id: record.id, kind: feedback.kind, schemaVersion: 1, payload: feedbackPayload(record) }, record.at);
  });
}
