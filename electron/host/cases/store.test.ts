import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncRecord } from '../../../platform-contract/contract.js';
import { rejectionReason } from '../../../platform-contract/kinds.js';
import { DataKey } from '../storage/crypto.js';
import { Database } from '../storage/database.js';
import { Outbox, outboxMigrations } from '../storage/outbox.js';
import { CaseStore, type NewCase } from './store.js';

const key = DataKey.fromBytes(randomBytes(32));
let db: Database;
let outbox: Outbox;
let store: CaseStore;

beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.migrate('outbox', outboxMigrations);
  outbox = new Outbox(key);
  store = await CaseStore.open(db, outbox, key);
});
afterEach(async () => {
  await db.close();
});

const jpeg = (fill: number): Buffer => Buffer.alloc(2048, fill);
const newCase = (overrides: Partial<NewCase> = {}): NewCase => ({
  serviceId: 'xz-birth-one-thing',
  stage: '申请',
  applicant: { name: '张三丰', idNumber: '430181198001011239', address: '湖南省长沙市岳麓区麓山南路1号', phone: '13800000000', mailingAddress: '', remarks: '' },
  pages: [
    { materialIndex: 0, jpeg: jpeg(1), width: 100, height: 140 },
    { materialIndex: 1, jpeg: jpeg(2), width: 100, height: 140 },
  ],
  materialNames: ['《出生医学证明》', '父母双方居民身份证'],
  ...overrides,
});
const context = { terminalId: 'kiosk-01', terminalCode: '0001', now: new Date('2026-11-25T02:00:00Z') };

async function counts(): Promise<Record<string, number>> {
  const tables = ['cases', 'case_pages', 'case_stages', 'case_numbers', 'outbox'];
  const entries = await Promise.all(tables.map(async (table) => [table, (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? -1] as const));
  return Object.fromEntries(entries);
}

describe('CaseStore', () => {
  it('numbers, stores and queues a case in one go, with personal data and images sealed', async () => {
    const first = await store.submit(newCase(), context);
    const second = await store.submit(newCase(), context);
    expect(first.number).toMatch(/^YS26112500010001\d{4}$/);
    expect(second.number).toMatch(/^YS26112500010002\d{4}$/);
    expect(await counts()).toEqual({ cases: 2, case_pages: 4, case_stages: 2, case_numbers: 1, outbox: 2 });

    // Nothing personal in the clear: not in the case rows, the pages or the outbox.
    const raw = JSON.stringify(await db.all('SELECT * FROM cases')) + JSON.stringify(await db.all('SELECT hex(payload) FROM outbox'));
    expect(raw).not.toContain('430181198001011239');
    expect(Buffer.from(JSON.stringify(await db.all('SELECT * FROM cases')))).not.toContain(Buffer.from('张三丰'));
    const page = await db.get<{ image: Buffer }>('SELECT image FROM case_pages LIMIT 1');
    expect(page?.image.equals(jpeg(1))).toBe(false);
    expect((await store.pages(first.id)).map((p) => p.jpeg?.equals(jpeg(p.materialIndex + 1)))).toEqual([true, true]);
    expect(await store.applicant(first.id)).toMatchObject({ name: '张三丰', idNumber: '430181198001011239' });
  });

  it('gives numbers a random check part: the neighbour of a number cannot be derived from it', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 12; i++) numbers.push((await store.submit(newCase({ pages: [] }), context)).number);
    expect(numbers.every((number) => /^YS261125\d{12}$/.test(number))).toBe(true);
    const checks = new Set(numbers.map((number) => number.slice(-4)));
    expect(checks.size).toBeGreaterThan(6);
    expect(await store.byNumber(`${numbers[0]!.slice(0, -4)}${numbers[0]!.slice(-4) === '0000' ? '0001' : '0000'}`)).toBeUndefined();
  });

  it('writes an outbox record the reference platform accepts', async () => {
    const stored = await store.submit(newCase(), context);
    const [row] = await outbox.pending(db, 10);
    expect(row?.id).toBe(stored.id);
    const record = SyncRecord.parse({ id: row?.id, kind: row?.kind, schemaVersion: row?.schemaVersion, payload: row?.payload, createdAt: row?.createdAt });
    expect(rejectionReason(record)).toBeNull();
    expect(record.payload).toMatchObject({ number: stored.number, status: '申请', applicant: { name: '张三丰' }, materials: [{ index: 0, pages: [{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }] }, { index: 1 }] });
    // Without the number the platform would refuse it for good.
    expect(rejectionReason({ ...record, payload: { ...record.payload, number: undefined } })).toMatch(/number/);
  });

  it('stores nothing at all when any part of a submission fails', async () => {
    const broken = newCase({ pages: [{ materialIndex: 0, jpeg: jpeg(1), width: 100, height: 140 }, { materialIndex: 1, jpeg: jpeg(2), width: null as unknown as number, height: 140 }] });
    await expect(store.submit(broken, context)).rejects.toThrow(/NOT NULL/);
    expect(await counts()).toEqual({ cases: 0, case_pages: 0, case_stages: 0, case_numbers: 0, outbox: 0 });
    // The failed attempt did not use up a number.
    expect((await store.submit(newCase(), context)).number).toMatch(/^YS26112500010001\d{4}$/);
  });

  it('finds cases by number and by a keyed hash of the applicant ID number only', async () => {
    const stored = await store.submit(newCase(), context);
    expect((await store.byNumber(stored.number))?.id).toBe(stored.id);
    expect(await store.byNumber('YS2026112500019999')).toBeUndefined();
    expect((await store.byApplicant('430181198001011239')).map((c) => c.id)).toEqual([stored.id]);
    expect(await store.byApplicant('11010519491231002X')).toEqual([]);
    const keyRow = await db.get<{ applicant_key: string }>('SELECT applicant_key FROM cases');
    expect(keyRow?.applicant_key).toBe(store.lookupKey('430181198001011239'));
    // The lookup secret survives a restart (sealed in the database), so old cases are still found.
    const reopened = await CaseStore.open(db, outbox, key);
    expect((await reopened.byApplicant('430181198001011239')).length).toBe(1);
  });

  it('applies platform status changes once per seq, by case id or number, and keeps results sealed', async () => {
    const stored = await store.submit(newCase(), context);
    const now = new Date('2026-11-26T00:00:00Z');
    expect(await store.applyChange({ seq: 1, caseId: stored.id, stage: '受理', at: '2026-11-25T03:00:00.000Z' }, now)).toBe('applied');
    expect(await store.applyChange({ seq: 1, caseId: stored.id, stage: '办结', at: '2026-11-25T04:00:00.000Z' }, now)).toBe('duplicate');
    expect(await store.applyChange({ seq: 2, caseId: 'someone-elses-case', stage: '受理', at: '2026-11-25T03:00:00.000Z' }, now)).toBe('unknown-case');
    const result = { title: '出生一件事办理结果', body: '准予办理。户口簿请于窗口领取。' };
    expect(await store.applyChange({ seq: 3, caseId: stored.number, stage: '办结', at: '2026-11-26T00:00:00.000Z', result }, now)).toBe('applied');
    const after = await store.byId(stored.id);
    expect(after).toMatchObject({ stage: '办结', hasResult: true, updatedAt: '2026-11-26T00:00:00.000Z' });
    expect((await store.history(stored.id)).map((h) => h.stage)).toEqual(['申请', '受理', '办结']);
    expect(await store.result(stored.id)).toEqual(result);
    expect(JSON.stringify(await db.all('SELECT hex(result) AS r FROM cases'))).not.toContain(Buffer.from('准予').toString('hex').toUpperCase());
  });
});
