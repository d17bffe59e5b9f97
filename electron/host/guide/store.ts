import { randomBytes } from 'node:crypto';
import type { DataKey } from '../storage/crypto.js';
import type { Database, Migration, Queryable } from '../storage/database.js';
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
  {
    version: 2,
    name: 'citizen key on feedback, staff replies, lookup secret',
    up: `ALTER TABLE feedback ADD COLUMN citizen_key TEXT;
    CREATE INDEX feedback_citizen ON feedback (citizen_key);
    CREATE TABLE feedback_replies (feedback_id TEXT PRIMARY KEY REFERENCES feedback (id), seq INTEGER NOT NULL, reply BLOB NOT NULL, answered_at TEXT NOT NULL);
    CREATE TABLE feedback_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);`,
  },
];

const LOOKUP_SECRET = 'citizen-lookup';

/** The secret under which feedback is found by the citizen's ID number (HMAC), created on first use and sealed with the data key. */
export async function feedbackLookupSecret(db: Database, key: DataKey): Promise<Buffer> {
  return db.transaction(async (tx) => {
    const row = await tx.get<{ value: Buffer }>('SELECT value FROM feedback_secrets WHERE name = ?', [LOOKUP_SECRET]);
    if (row) return key.open(row.value);
    const fresh = randomBytes(32);
    await tx.run('INSERT INTO feedback_secrets (name, value) VALUES (?, ?)', [LOOKUP_SECRET, key.seal(fresh)]);
    return fresh;
  });
}

/** A staff answer pulled from the platform (platform/contract.ts Reply). */
export interface FeedbackReply {
  seq: number;
  recordId: string;
  text: string;
  answeredAt: string;
}

/** Stores answers to this terminal's consultations and complaints, sealed; idempotent per record. Returns how many were new. */
export async function storeReplies(db: Database, key: DataKey, replies: readonly FeedbackReply[]): Promise<number> {
  let stored = 0;
  await db.transaction(async (tx) => {
    for (const reply of replies) {
      if (!(await tx.get('SELECT id FROM feedback WHERE id = ?', [reply.recordId]))) continue;
      const result = await tx.run('INSERT OR IGNORE INTO feedback_replies (feedback_id, seq, reply, answered_at) VALUES (?, ?, ?, ?)', [reply.recordId, reply.seq, key.sealJson(reply.text), reply.answeredAt]);
      stored += result.changes;
    }
  });
  return stored;
}

export interface MyFeedback {
  id: string;
  kind: 'consultation' | 'complaint';
  category: string;
  text: string;
  receivedAt: string;
  reply: { text: string; answeredAt: string } | null;
}

/** The consultations and complaints filed under this citizen key, newest first, with their answers. */
export async function feedbackOf(db: Database, key: DataKey, citizenKey: string): Promise<MyFeedback[]> {
  const rows = await db.all<{ id: string; kind: 'consultation' | 'complaint'; category: string; sealed: Buffer; created_at: string; reply: Buffer | null; answered_at: string | null }>(
    `SELECT f.id, f.kind, f.category, f.sealed, f.created_at, r.reply, r.answered_at FROM feedback f LEFT JOIN feedback_replies r ON r.feedback_id = f.id
     WHERE f.citizen_key = ? AND f.kind IN ('consultation', 'complaint') ORDER BY f.created_at DESC`,
    [citizenKey],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    category: row.category,
    text: String((key.openJson(row.sealed) as { text?: string | null }).text ?? ''),
    receivedAt: row.created_at,
    reply: row.reply === null || row.answered_at === null ? null : { text: String(key.openJson(row.reply)), answeredAt: row.answered_at },
  }));
}

export interface FeedbackRecord {
  id: string;
  at: Date;
  terminalId: string;
  sessionId: string | null;
  /** Only for a citizen who swiped her card: 张*丰. Never the full name or ID number. */
  maskedName?: string;
  /** Only for a citizen who swiped her card: the keyed hash of her ID number, so she finds her consultations again. */
  citizenKey?: string;
  /** Hex SHA-256 of the token on her slip's QR (the platform finds her phone page by it); absent without a public URL. */
  replyPageKey?: string;
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
    ...(record.replyPageKey !== undefined ? { replyPageKey: record.replyPageKey } : {}),
    ...feedback,
  };
}

/** `alsoInTransaction`: more to write with it, all or nothing (the rating's copy kept for the hall service). */
export async function storeFeedback(db: Database, outbox: Outbox, key: DataKey, record: FeedbackRecord, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<void> {
  const { feedback } = record;
  const personal = {
    text: feedback.text ?? null,
    phone: feedback.kind === 'rating' ? null : (feedback.phone ?? null),
    maskedName: record.maskedName ?? null,
  };
  await db.transaction(async (tx) => {
    await tx.run(
      'INSERT INTO feedback (id, kind, category, stars, reasons, service_id, department_id, session_id, sealed, created_at, citizen_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
        record.citizenKey ?? null,
      ],
    );
    await outbox.append(tx, { id: record.id, kind: feedback.kind, schemaVersion: 1, payload: feedbackPayload(record) }, record.at);
    await alsoInTransaction?.(tx);
  });
}
