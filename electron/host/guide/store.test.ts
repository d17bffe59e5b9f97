import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionReason } from '../../../platform-contract/kinds.js';
import { DataKey } from '../storage/crypto.js';
import { Database } from '../storage/database.js';
import { Outbox, outboxMigrations } from '../storage/outbox.js';
import { checkFeedback, type CleanFeedback } from './feedback.js';
import { feedbackMigrations, feedbackPayload, storeFeedback, type FeedbackRecord } from './store.js';

let db: Database;
let key: DataKey;
let outbox: Outbox;

beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.migrate('outbox', outboxMigrations);
  await db.migrate('feedback', feedbackMigrations);
  key = DataKey.fromBytes(randomBytes(32));
  outbox = new Outbox(key);
});
afterEach(async () => {
  await db.close();
});

function clean(input: Parameters<typeof checkFeedback>[0]): CleanFeedback {
  const checked = checkFeedback(input);
  if (!checked.ok) throw new Error(checked.problem.say.code);
  return checked.value;
}

const record = (id: string, feedback: CleanFeedback, extra: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  id,
  at: new Date('2026-11-24T08:00:00.000Z'),
  terminalId: 'kiosk-01',
  sessionId: 's-1',
  feedback,
  ...extra,
});

const counts = async (): Promise<{ feedback: number; outbox: number }> => ({
  feedback: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM feedback'))?.n ?? -1,
  outbox: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))?.n ?? -1,
});

describe('storeFeedback', () => {
  it('stores the record and its outbox row together, personal fields sealed', async () => {
    const complaint = clean({ kind: 'complaint', category: 'attitude', text: '窗口工作人员态度不好', phone: '13812345678' });
    await storeFeedback(db, outbox, key, record('c1', complaint, { maskedName: '张*丰' }));
    const row = await db.get<{ kind: string; category: string; sealed: Buffer }>('SELECT kind, category, sealed FROM feedback WHERE id = ?', ['c1']);
    expect(row).toMatchObject({ kind: 'complaint', category: 'attitude' });
    expect(row?.sealed.toString('utf8')).not.toContain('13812345678');
    expect(key.openJson(row?.sealed ?? Buffer.alloc(0))).toEqual({ text: '窗口工作人员态度不好', phone: '13812345678', maskedName: '张*丰' });
    const [queued] = await outbox.pending(db, 10);
    expect(queued).toMatchObject({ id: 'c1', kind: 'complaint', schemaVersion: 1 });
    expect(queued?.payload).toMatchObject({ id: 'c1', category: 'attitude', phone: '13812345678', citizen: { maskedName: '张*丰' } });
    expect(JSON.stringify(queued?.payload)).not.toMatch(/\d{17}[\dX]/);
  });

  it('a failing insert leaves neither the record nor the outbox row', async () => {
    const rating = clean({ kind: 'rating', stars: 4, reasons: [] });
    await storeFeedback(db, outbox, key, record('r1', rating));
    // The record insert fails (same id): no outbox row is added.
    await expect(storeFeedback(db, outbox, key, record('r1', rating))).rejects.toThrow(/UNIQUE/);
    expect(await counts()).toEqual({ feedback: 1, outbox: 1 });
    // The outbox insert fails (an outbox row already holds the id): the record insert is rolled back.
    await db.transaction((tx) => outbox.append(tx, { id: 'r2', kind: 'rating', schemaVersion: 1, payload: { stars: 1 } }));
    await expect(storeFeedback(db, outbox, key, record('r2', rating))).rejects.toThrow(/UNIQUE/);
    expect(await db.get('SELECT id FROM feedback WHERE id = ?', ['r2'])).toBeUndefined();
    expect(await counts()).toEqual({ feedback: 1, outbox: 2 });
  });

  it('produces payloads the reference platform accepts for every kind', () => {
    const samples: CleanFeedback[] = [
      clean({ kind: 'consultation', category: 'materials', text: '居住证要带什么材料', phone: '13812345678' }),
      clean({ kind: 'complaint', category: 'efficiency', text: '等了两个小时还没叫号', serviceId: 'ps-idcard-reissue' }),
      clean({ kind: 'rating', stars: 2, reasons: ['long-wait', 'other'], text: '叫号系统坏了', departmentId: 'public-security' }),
    ];
    for (const feedback of samples) {
      const payload = feedbackPayload(record(`id-${feedback.kind}`, feedback, { maskedName: '李*' }));
      expect(rejectionReason({ id: `id-${feedback.kind}`, kind: feedback.kind, schemaVersion: 1, payload, createdAt: '2026-11-24T08:00:00.000Z' }), feedback.kind).toBeNull();
    }
    expect(
      rejectionReason({ id: 'x', kind: 'complaint', schemaVersion: 1, payload: { id: 'x', at: '2026-11-24T08:00:00.000Z', category: 'other', text: '' }, createdAt: '2026-11-24T08:00:00.000Z' }),
    ).toMatch(/text/);
  });
});
