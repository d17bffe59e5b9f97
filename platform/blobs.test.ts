import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { judgeChunk } from './blobs.js';
import { MAX_BLOB_BYTES, MAX_BLOB_CHUNK_BYTES } from '../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from './testing.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('judgeChunk', () => {
  const address = 'a'.repeat(64);
  const chunk = (offset: number, length: number, size = 100) => ({ sha256: address, offset, size, length });

  it('appends a chunk that starts where the held bytes end', () => {
    expect(judgeChunk(undefined, chunk(0, 40)).action).toBe('append');
    expect(judgeChunk({ size: 100, received: 40, complete: false }, chunk(40, 60)).action).toBe('append');
  });

  it('answers a resent chunk, or any chunk of a complete blob, without storing it again', () => {
    expect(judgeChunk({ size: 100, received: 40, complete: false }, chunk(0, 40)).action).toBe('already-held');
    expect(judgeChunk({ size: 100, received: 100, complete: true }, chunk(40, 60)).action).toBe('already-held');
  });

  it('refuses chunks out of order, oversized chunks and blobs, a changed size and bad addresses', () => {
    const refusal = (verdict: ReturnType<typeof judgeChunk>) => (verdict.action === 'refuse' ? [verdict.refusal.status, verdict.refusal.code] : verdict.action);
    expect(refusal(judgeChunk({ size: 100, received: 40, complete: false }, chunk(60, 10)))).toEqual([409, 'chunk_out_of_order']);
    expect(refusal(judgeChunk(undefined, chunk(10, 10)))).toEqual([409, 'chunk_out_of_order']);
    expect(refusal(judgeChunk(undefined, chunk(0, MAX_BLOB_CHUNK_BYTES + 1, MAX_BLOB_BYTES)))).toEqual([413, 'body_too_large']);
    expect(refusal(judgeChunk(undefined, chunk(0, 10, MAX_BLOB_BYTES + 1)))).toEqual([413, 'body_too_large']);
    expect(refusal(judgeChunk({ size: 100, received: 40, complete: false }, chunk(40, 10, 200)))).toEqual([409, 'chunk_out_of_order']);
    expect(refusal(judgeChunk(undefined, chunk(90, 20)))).toEqual([400, 'bad_request']);
    expect(refusal(judgeChunk(undefined, { ...chunk(0, 10), sha256: 'NOT-A-HASH' }))).toEqual([400, 'bad_request']);
    expect(refusal(judgeChunk(undefined, chunk(0, 0)))).toEqual([400, 'bad_request']);
  });
});

describe('blob endpoint of the reference platform', () => {
  let platform: LoopbackPlatform;
  let client: PlatformClient;
  beforeEach(async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], seed: 3 });
    client = new PlatformClient({ baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, now: () => new Date(), logger: silentLogger(), timeoutMs: 5_000 });
  });
  afterEach(async () => {
    client.close();
    await platform.close();
  });

  it('takes a blob in chunks, resumes from what it holds, is idempotent, and seals the bytes at rest', async () => {
    const bytes = Buffer.concat([Buffer.from('JFIF-page-'), randomBytes(50_000)]);
    const address = sha(bytes);
    expect(await client.blobStatus(address)).toMatchObject({ ok: true, value: 'none' });
    expect(await client.putBlobChunk(address, 0, bytes.length, bytes.subarray(0, 20_000))).toMatchObject({ ok: true, value: { received: 20_000, complete: false } });
    // The status says where to resume; a resent first chunk changes nothing.
    expect(await client.blobStatus(address)).toMatchObject({ ok: true, value: { received: 20_000, size: bytes.length, complete: false } });
    expect(await client.putBlobChunk(address, 0, bytes.length, bytes.subarray(0, 20_000))).toMatchObject({ ok: true, value: { received: 20_000 } });
    expect(await client.putBlobChunk(address, 20_000, bytes.length, bytes.subarray(20_000))).toMatchObject({ ok: true, value: { received: bytes.length, complete: true } });
    expect(await client.putBlobChunk(address, 20_000, bytes.length, bytes.subarray(20_000))).toMatchObject({ ok: true, value: { complete: true } });
    expect((await platform.server.blobs.read(address))?.equals(bytes)).toBe(true);
    // Not in the clear in the platform's database.
    const raw = await platform.server.store['db'].all<{ data: Buffer }>('SELECT data FROM blob_chunks');
    expect(raw).toHaveLength(2);
    for (const row of raw) expect(row.data.includes(Buffer.from('JFIF-page-'))).toBe(false);
  });

  it('refuses a blob whose bytes do not hash to its address and keeps nothing of it', async () => {
    const bytes = randomBytes(30_000);
    const wrong = sha(Buffer.from('something else'));
    expect((await client.putBlobChunk(wrong, 0, bytes.length, bytes.subarray(0, 10_000))).ok).toBe(true);
    const last = await client.putBlobChunk(wrong, 10_000, bytes.length, bytes.subarray(10_000));
    expect(last).toMatchObject({ ok: false, error: { kind: 'refused', status: 422, code: 'hash_mismatch' } });
    expect(await client.blobStatus(wrong)).toMatchObject({ ok: true, value: 'none' });
    expect(await platform.server.store['db'].all('SELECT * FROM blob_chunks')).toEqual([]);
  });

  it('refuses a chunk out of order or oversized, and stores nothing of it', async () => {
    const bytes = randomBytes(MAX_BLOB_CHUNK_BYTES + 10);
    const address = sha(bytes);
    expect(await client.putBlobChunk(address, 100, bytes.length, bytes.subarray(100, 200))).toMatchObject({ ok: false, error: { status: 409, code: 'chunk_out_of_order' } });
    expect(await client.putBlobChunk(address, 0, bytes.length, bytes)).toMatchObject({ ok: false, error: { status: 413, code: 'body_too_large' } });
    expect(await client.blobStatus(address)).toMatchObject({ ok: true, value: 'none' });
    expect(await platform.server.store['db'].all('SELECT * FROM blobs')).toEqual([]);
  });

  it('rejects a case naming a page it does not hold, and accepts it once the page is there', async () => {
    const bytes = randomBytes(1000);
    const address = sha(bytes);
    const record = {
      id: 'case-1',
      kind: 'case',
      schemaVersion: 1,
      createdAt: new Date().toISOString(),
      payload: {
        caseId: 'case-1',
        number: 'YS2026112500010001',
        serviceId: 'hr-employment-cert',
        status: '申请',
        submittedAt: new Date().toISOString(),
        terminalId: terminal.id,
        applicant: { name: '张三丰', idNumber: '430181198001011239' },
        materials: [{ index: 0, name: '身份证', pages: [{ pageId: 'p1', sha256: address }] }],
      },
    };
    const refused = await client.pushBatch([record]);
    expect(refused.ok && refused.value.acks[0]).toMatchObject({ id: 'case-1', status: 'rejected', reason: expect.stringMatching(/does not hold/) as unknown });
    expect(await platform.admin.recordIds()).toEqual([]);
    await client.putBlobChunk(address, 0, bytes.length, bytes);
    const accepted = await client.pushBatch([{ ...record, id: 'case-2', payload: { ...record.payload, caseId: 'case-2' } }]);
    expect(accepted.ok && accepted.value.acks[0]).toMatchObject({ id: 'case-2', status: 'accepted' });
  });
});
