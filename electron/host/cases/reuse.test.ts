import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { pino } from 'pino';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from '../../../platform/testing.js';
import { recordKinds } from '../../../platform-contract/kinds.js';
import { createApiClient, type ApiClient } from '../../../renderer/src/api/client.js';
import { callValue as value, eventually, nextEvent } from '../../../tests/support/host.js';
import { parseConfig } from '../config/load.js';
import { startHost, type KioskHost } from '../index.js';
import { memoryPipe } from '../rpc/memory-transport.js';
import { reuseOffers, reuseRefusal } from './reuse.js';

// 一号 at the kiosk: a real host (SQLite, the ID-card simulator, SANE's test
// backend) syncing with the reference platform on loopback; the platform lists
// her earlier materials by the keyed hash of her ID number.
const SERVICE = 'hr-employment-cert'; // one required material: 居民身份证
const terminal = { id: 'kiosk-reuse-01', secret: 'kiosk-reuse-01-secret-0123456789' };
const CITIZEN_KEY_SECRET = 'hall-citizen-key-secret-for-tests';
const ZHANG = '430181198001011239';

describe('reuse rules (pure)', () => {
  const now = new Date('2026-12-03T08:00:00Z');
  const listed = [
    { materialId: 'c-old:0', name: '居民身份证', submittedAt: '2026-09-01T02:00:00Z', validUntil: '2027-02-28T02:00:00Z', pages: 2 },
    { materialId: 'c-new:0', name: '居民身份证', submittedAt: '2026-11-20T02:00:00Z', validUntil: '2027-05-19T02:00:00Z', pages: 2 },
    { materialId: 'c-new:1', name: '户口簿', submittedAt: '2026-11-20T02:00:00Z', validUntil: '2026-12-01T02:00:00Z', pages: 1 },
    { materialId: 'c-new:2', name: '结婚证', submittedAt: '2026-11-20T02:00:00Z', validUntil: '2027-05-19T02:00:00Z', pages: 0 },
  ];

  it('offers the newest valid material with pages of the same name for each material of the guide', () => {
    const offers = reuseOffers([{ name: '居民身份证' }, { name: '户口簿' }, { name: '结婚证' }, { name: '房产证' }], listed, now);
    expect(offers).toEqual([{ materialIndex: 0, materialId: 'c-new:0', name: '居民身份证', submittedAt: '2026-11-20T02:00:00Z', validUntil: '2027-05-19T02:00:00Z', pages: 2 }]);
  });

  it('refuses an id not offered for that material, and any reuse before consent', () => {
    const offers = reuseOffers([{ name: '居民身份证' }], listed, now);
    expect(reuseRefusal({ materialIndex: 0, materialId: 'someone-else:0' }, offers, '2026-12-03T08:00:00Z')).toBe('not-offered');
    expect(reuseRefusal({ materialIndex: 1, materialId: 'c-new:0' }, offers, '2026-12-03T08:00:00Z')).toBe('not-offered');
    expect(reuseRefusal({ materialIndex: 0, materialId: 'c-new:0' }, offers, null)).toBe('consent-required');
    expect(reuseRefusal({ materialIndex: 0, materialId: 'c-new:0' }, offers, '2026-12-03T08:00:00Z')).toBeNull();
  });
});

describe('一号 in the host with the reference platform', () => {
  let host: KioskHost | undefined;
  let platform: LoopbackPlatform | undefined;
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    await host?.stop();
    await platform?.close();
    host = undefined;
    platform = undefined;
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function boot(url: string): Promise<{ client: ApiClient; kiosk: KioskHost; logLines: string[]; dataDir: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-reuse-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const logLines: string[] = [];
    const config = parseConfig(
      {
        developerMode: true,
        terminalId: terminal.id,
        queue: { listen: { port: 0 } },
        platform: { baseUrl: url, secret: terminal.secret, citizenKeySecret: CITIZEN_KEY_SECRET, intervalSeconds: 3600 },
      },
      'test',
      { LIULIU_DATA_DIR: dataDir },
    );
    const kiosk = await startHost(config, { logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }) });
    host = kiosk;
    const pipe = memoryPipe();
    kiosk.attach(pipe.host);
    return { client: createApiClient(pipe.renderer, 60_000), kiosk, logLines, dataDir };
  }

  async function visit(client: ApiClient): Promise<void> {
    const started = nextEvent(client, 'session.changed', (e) => e.session?.kind === 'citizen');
    await value(client, 'dev.idcard.place', { cardId: 'zhang' });
    await started;
    await value(client, 'dev.idcard.remove', {});
  }

  /** Her visit ends (the kiosk pushes what it queued) and she comes back with her card. */
  async function comeBack(client: ApiClient): Promise<void> {
    await value(client, 'session.end', { reason: 'logout' });
    await visit(client);
  }

  async function draftWithPhone(client: ApiClient) {
    await value(client, 'cases.startDraft', { serviceId: SERVICE });
    return value(client, 'cases.updateForm', { phone: '13800000000', mailingAddress: '', remarks: '' });
  }

  it('offers her earlier material, refuses a foreign id and reuse before consent, and the platform files the case with the reused id', { timeout: 120_000 }, async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: CITIZEN_KEY_SECRET });
    const { client, kiosk, logLines, dataDir } = await boot(platform.url);
    const held = platform;
    const platformCases = async () => (await held.server.store.recordsOfKind('case')).map((record) => record.payload as { caseId: string; materials: { index: number; pages: unknown[]; reusedMaterialId?: string }[]; reuseConsentAt?: string });

    // First application: she scans her ID card.
    await visit(client);
    await draftWithPhone(client);
    const first = await value(client, 'cases.reusableMaterials', {});
    expect(first).toEqual({ availability: 'ok', offers: [] });
    await value(client, 'cases.scanPage', { materialIndex: 0 });
    const firstCase = await value(client, 'cases.submit', {});
    await comeBack(client);
    const filed = await eventually(platformCases, (cases) => cases.length === 1);
    expect(filed[0]?.caseId).toBe(firstCase.caseId);

    // Second application: the platform lists it, by the keyed hash of her number.
    const draft = await draftWithPhone(client);
    expect(draft.missing).toEqual([0]);
    const offers = await value(client, 'cases.reusableMaterials', {});
    expect(offers.availability).toBe('ok');
    expect(offers.offers).toEqual([expect.objectContaining({ materialIndex: 0, materialId: `${firstCase.caseId}:0`, name: '居民身份证', pages: 1 })]);

    // Refused: an id the platform did not offer her (another person's), and any reuse before her consent. Nothing changes.
    const foreign = await client.call('cases.reuseMaterial', { materialIndex: 0, materialId: 'another-persons-case:0' });
    expect(foreign.ok ? null : foreign.error).toMatchObject({ code: 'refused', details: { reason: 'not-offered' }, say: { code: 'cases.reuseNotOffered' } });
    const early = await client.call('cases.reuseMaterial', { materialIndex: 0, materialId: `${firstCase.caseId}:0` });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'refused', details: { reason: 'consent-required' } });
    expect((await value(client, 'cases.draft', {}))?.reused).toEqual([]);

    const consented = await value(client, 'cases.consentReuse', { consent: true });
    expect(consented.reuseConsentAt).not.toBeNull();
    const reused = await value(client, 'cases.reuseMaterial', { materialIndex: 0, materialId: `${firstCase.caseId}:0` });
    expect(reused.missing).toEqual([]);
    expect(reused.reused).toEqual([expect.objectContaining({ materialIndex: 0, materialId: `${firstCase.caseId}:0` })]);
    const secondCase = await value(client, 'cases.submit', {});
    // Her slip says the material was reused rather than "0 pages".
    expect(await value(client, 'cases.printReceipt', { caseId: secondCase.caseId, format: 'slip' })).toMatchObject({ kind: 'printed' });
    const jobs = join(dataDir, 'printer-jobs');
    const slips = await eventually(
      async () => (existsSync(jobs) ? readdirSync(jobs).filter((name) => name.endsWith('.txt')).map((name) => readFileSync(join(jobs, name), 'utf8')).join('\n') : ''),
      (text) => text.includes(secondCase.preAcceptanceNumber),
    );
    expect(slips).toContain('扫描0项 共0页，沿用已提交材料1项');

    // On the terminal: the reuse and the consent time with the case; the outbox row at schema version 2.
    const row = await kiosk.context.db.get<{ material_id: string; consent_at: string }>('SELECT material_id, consent_at FROM case_reused_materials WHERE case_id = ?', [secondCase.caseId]);
    expect(row).toEqual({ material_id: `${firstCase.caseId}:0`, consent_at: consented.reuseConsentAt });
    expect(await kiosk.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_pages WHERE case_id = ?', [secondCase.caseId])).toEqual({ n: 0 });

    // The platform files it with the reused id (accepted, not dead-lettered).
    await comeBack(client);
    const both = await eventually(platformCases, (cases) => cases.length === 2);
    const second = both.find((c) => c.caseId === secondCase.caseId);
    expect(second?.materials[0]).toMatchObject({ index: 0, pages: [], reusedMaterialId: `${firstCase.caseId}:0` });
    expect(second?.reuseConsentAt).toBe(consented.reuseConsentAt);
    expect((await kiosk.context.outbox.counts(kiosk.context.db)).dead).toBe(0);

    // The reviewer sees the earlier case's page under the reused material, with where it came from.
    const review = await (await fetch(new URL(`/review/cases/${secondCase.caseId}`, held.url), { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
    const firstPage = (filed[0]?.materials[0]?.pages[0] as { sha256: string } | undefined)?.sha256 ?? '?';
    expect(review).toContain(`沿用办件 <a href="/review/cases/${firstCase.caseId}">${firstCase.preAcceptanceNumber}</a>`);
    expect(review).toContain(`<img src="/review/blobs/${firstPage}"`);

    // Neither the ID number nor the secret was logged; the refusal was.
    const log = logLines.join('');
    expect(log).not.toContain(ZHANG);
    expect(log).not.toContain(CITIZEN_KEY_SECRET);
    expect(log).toMatch(/material reuse refused.*not-offered|not-offered.*material reuse refused/);
  });

  it('says honestly that it cannot look when the platform does not answer, and she scans as usual', { timeout: 60_000 }, async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: CITIZEN_KEY_SECRET });
    const url = platform.url;
    await platform.close();
    platform = undefined;
    const { client } = await boot(url);
    await visit(client);
    await draftWithPhone(client);
    const answer = await value(client, 'cases.reusableMaterials', {});
    expect(answer).toEqual({ availability: 'unavailable', offers: [], say: { code: 'cases.reuseUnavailable', params: {} } });
    const refused = await client.call('cases.reuseMaterial', { materialIndex: 0, materialId: 'anything:0' });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'refused', details: { reason: 'not-offered' } });
    await value(client, 'cases.scanPage', { materialIndex: 0 });
    expect((await value(client, 'cases.submit', {})).preAcceptanceNumber).toMatch(/^YS\d{18}$/);
  });
});

describe('the case record kind', () => {
  it('takes a reuse only at schema version 2, and only with the consent time', () => {
    const base = { caseId: 'c2', serviceId: SERVICE, status: '申请', number: 'YS261203000100020001', submittedAt: '2026-12-03T08:00:00Z', terminalId: terminal.id, applicant: { name: '张三丰', idNumber: ZHANG } };
    const reusing = { ...base, materials: [{ index: 0, name: '居民身份证', pages: [], reusedMaterialId: 'c1:0' }] };
    expect(recordKinds.case?.[2]?.safeParse({ ...reusing, reuseConsentAt: '2026-12-03T07:59:00Z' }).success).toBe(true);
    expect(recordKinds.case?.[2]?.safeParse(reusing).success).toBe(false);
    expect(recordKinds.case?.[2]?.safeParse({ ...base, materials: [{ index: 0, name: '居民身份证', pages: [] }] }).success).toBe(true);
  });
});
