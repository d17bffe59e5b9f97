import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { citizenLookupKey, type SyncRecord } from '../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from './testing.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const SECRET = 'hall-citizen-key-secret';
const ZHANG = '430181198001011239';
const LI = '430181199002022345';
let platform: LoopbackPlatform;
let client: PlatformClient;

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: SECRET });
  client = new PlatformClient({ baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, now: () => new Date(), logger: silentLogger(), timeoutMs: 5_000 });
});
afterEach(async () => {
  client.close();
  await platform.close();
});

async function fileCase(id: string, idNumber: string, materials: { name: string; pages?: number; reusedMaterialId?: string }[]): Promise<{ status: string; reason?: string | undefined }> {
  const pageLists: { pageId: string; sha256: string }[][] = [];
  for (const material of materials) {
    const pages: { pageId: string; sha256: string }[] = [];
    for (let i = 0; i < (material.pages ?? 0); i += 1) {
      const bytes = randomBytes(2000);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await client.putBlobChunk(sha256, 0, bytes.length, bytes);
      pages.push({ pageId: `${id}-p${i}`, sha256 });
    }
    pageLists.push(pages);
  }
  const record: SyncRecord = {
    id,
    kind: 'case',
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    payload: {
      caseId: id,
      number: `YS20261203000100${id.slice(-2).padStart(2, '0')}`,
      serviceId: 'hr-employment-cert',
      status: '申请',
      submittedAt: new Date().toISOString(),
      terminalId: terminal.id,
      applicant: { name: '某人', idNumber },
      materials: materials.map((material, index) => ({ index, name: material.name, pages: pageLists[index], ...(material.reusedMaterialId === undefined ? {} : { reusedMaterialId: material.reusedMaterialId }) })),
    },
  };
  const answer = await client.pushBatch([record]);
  if (!answer.ok) throw new Error(answer.error.message);
  const ack = answer.value.acks[0];
  return { status: ack?.status ?? 'none', reason: ack?.reason };
}

describe('一号: materials reused by the same person only', () => {
  it('lists her valid materials by keyed hash, and honours a reuse only for her', async () => {
    expect(await fileCase('case-01', ZHANG, [{ name: '居民身份证', pages: 2 }, { name: '户口簿' }])).toMatchObject({ status: 'accepted' });
    await fileCase('case-02', LI, [{ name: '居民身份证', pages: 1 }]);

    const listed = await client.reusableMaterials(citizenLookupKey(SECRET, ZHANG));
    expect(listed.ok && listed.value.materials.map((m) => [m.materialId, m.name, m.pages])).toEqual([['case-01:0', '居民身份证', 2]]);
    // The query carries a keyed hash: the raw number is refused.
    expect(await client.reusableMaterials(ZHANG)).toMatchObject({ ok: false, error: { status: 400 } });

    expect(await fileCase('case-03', ZHANG, [{ name: '居民身份证', reusedMaterialId: 'case-01:0' }])).toMatchObject({ status: 'accepted' });
    expect(await fileCase('case-04', LI, [{ name: '居民身份证', reusedMaterialId: 'case-01:0' }])).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/another person/) as unknown });
    expect(await fileCase('case-05', ZHANG, [{ name: '户口簿', reusedMaterialId: 'case-01:1' }])).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/does not exist/) as unknown });
    expect(await platform.admin.recordIds()).toEqual(['case-01', 'case-02', 'case-03']);

    // Returned cases' materials are no longer offered nor honoured.
    await platform.admin.postCaseStatus({ caseId: 'case-01', status: 'returned', note: '照片不清晰' });
    const after = await client.reusableMaterials(citizenLookupKey(SECRET, ZHANG));
    expect(after.ok && after.value.materials).toEqual([]);
    expect(await fileCase('case-06', ZHANG, [{ name: '居民身份证', reusedMaterialId: 'case-01:0' }])).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/no longer valid/) as unknown });
  });
});
