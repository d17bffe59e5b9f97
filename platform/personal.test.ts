import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { joinPersonal, splitPersonal } from './personal.js';
import { PlatformStore } from './store.js';

// The reference platform keeps names, ID numbers, addresses and phones sealed
// at rest: what terminals send is found whole through the store, and nowhere
// in the database files in the clear.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const AT = '2026-11-25T02:00:00.000Z';
const caseRecord = {
  id: 'case-1',
  kind: 'case',
  schemaVersion: 1,
  createdAt: AT,
  payload: {
    caseId: 'case-1',
    serviceId: 'hr-employment-cert',
    status: '申请',
    number: 'YS261125000100074821',
    submittedAt: AT,
    terminalId: 'kiosk-01',
    applicant: { name: '张三丰', idNumber: '430181198001011239', address: '湖南省长沙市岳麓区麓山南路932号', phone: '13812345678', mailingAddress: '示范市幸福路18号', remarks: '' },
    materials: [],
  },
};
const complaint = { id: 'c-1', kind: 'complaint', schemaVersion: 1, createdAt: AT, payload: { id: 'c-1', at: AT, category: 'service', text: '我家住在青松路77号，窗口态度差', phone: '13987654321' } };

describe('platform personal data at rest', () => {
  it('seals names, ID numbers, addresses and phones; the store gives the record back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-platform-pii-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'platform.db'));
    const key = DataKey.fromBytes(Buffer.alloc(32, 7));
    const store = await PlatformStore.open(db, key);
    const acks = await store.storeBatch('kiosk-01', [caseRecord, complaint], new Date(AT));
    expect(acks.map((ack) => ack.status)).toEqual(['accepted', 'accepted']);
    expect((await store.record('case-1'))?.payload).toEqual(caseRecord.payload);
    expect((await store.record('c-1'))?.payload).toEqual(complaint.payload);
    expect(await store.stats()).toMatchObject({ stored: 2, perKind: { case: 1, complaint: 1 } });
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.close();
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      for (const secret of ['张三丰', '430181198001011239', '麓山南路932号', '13812345678', '幸福路18号', '青松路77号', '13987654321']) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${name}`).toBe(false);
      }
    }
    // Without the key the sealed part cannot be read.
    const reopened = await Database.open(join(dir, 'platform.db'));
    const other = await PlatformStore.open(reopened, DataKey.fromBytes(Buffer.alloc(32, 8)));
    await expect(other.record('case-1')).rejects.toThrow();
    await reopened.close();
  });

  it('splits only the personal top-level fields and joins them back', () => {
    const { open, personal } = splitPersonal(complaint.payload);
    expect(open).toEqual({ id: 'c-1', at: AT, category: 'service' });
    expect(personal).toEqual({ text: complaint.payload.text, phone: '13987654321' });
    expect(joinPersonal(open, personal)).toEqual(complaint.payload);
    expect(splitPersonal({ stars: 4 })).toEqual({ open: { stars: 4 }, personal: null });
    expect(splitPersonal(null)).toEqual({ open: null, personal: null });
  });
});
