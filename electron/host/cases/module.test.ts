import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../../renderer/src/api/client.js';
import { createScanner, createTestBackend, SaneScanner } from '../../../devices/scanner/index.js';
import type { SpawnFn } from '../../../devices/scanner/process.js';
import { ApiError, type MethodName, type ParamsOf } from '../../contract/index.js';
import { parseConfig } from '../config/load.js';
import { startHost, type KioskHost } from '../index.js';
import { silentLogger } from '../logging/logger.js';
import { memoryPipe } from '../rpc/memory-transport.js';
import type { Handlers } from '../rpc/server.js';
import { DraftBook } from './drafts.js';
import { casesModule, normaliseScan, type CasesHostModule } from './module.js';
import { nextEvent, callValue as value } from '../../../tests/support/host.js';

// The cases capability inside a real host: SQLite on disk, the ID-card
// reader simulator over a pty, SANE's test backend through scanimage, the
// receipt printer simulator over TCP, PDFs checked with pdftotext.
const SERVICE = 'hr-employment-cert'; // 就业创业证申领: one required material (居民身份证), scanned front and back
const SLOW = ['--read-limit=yes', '--read-limit-size=1', '--read-delay=yes', '--read-delay-duration=200000'];

let host: KioskHost | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await host?.stop();
  host = undefined;
});

async function boot(): Promise<{ client: ApiClient; dataDir: string; kiosk: KioskHost }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-cases-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // Port 0: the embedded hall queue server must not collide with parallel tests.
  const kiosk = await startHost(parseConfig({ developerMode: true, queue: { listen: { port: 0 } } }, 'test', { LIULIU_DATA_DIR: dataDir }), { logger: silentLogger() });
  host = kiosk;
  const pipe = memoryPipe();
  kiosk.attach(pipe.host);
  return { client: createApiClient(pipe.renderer, 60_000), dataDir, kiosk };
}

async function failure<M extends MethodName>(client: ApiClient, method: M, params: ParamsOf<M>) {
  const result = await client.call(method, params);
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
  return result.error;
}

async function logIn(client: ApiClient): Promise<void> {
  // The card goes on the simulated reader and is read over a pty like a real one.
  const started = nextEvent(client, 'session.changed', (e) => e.session?.kind === 'citizen');
  await value(client, 'dev.idcard.place', { cardId: 'zhang' });
  await started;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function tableCounts(kiosk: KioskHost): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['cases', 'case_pages', 'case_stages', 'outbox']) out[table] = (await kiosk.context.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? -1;
  return out;
}

/** Calls a handler of a separately built cases module (with its own scanner) the way the RPC server would. */
async function call<M extends MethodName>(module: CasesHostModule, method: M, params: Parameters<Handlers[M]>[0]): Promise<Awaited<ReturnType<Handlers[M]>>> {
  const handler = module.handlers[method] as Handlers[M] | undefined;
  if (!handler) throw new Error(`no handler ${method}`);
  return (await handler(params as never)) as Awaited<ReturnType<Handlers[M]>>;
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => new Error('unexpectedly succeeded'), (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('self-service pre-application end to end in the host', () => {
  it('refuses anonymous visitors, then takes a citizen from card to submitted case, receipts and progress', { timeout: 120_000 }, async () => {
    const { client, dataDir, kiosk } = await boot();
    await value(client, 'session.begin', {});
    const services = await value(client, 'cases.services', {});
    expect(services.length).toBeGreaterThan(10);
    expect(services.find((s) => s.id === SERVICE)?.materials[0]).toMatchObject({ name: '居民身份证', required: true });
    // In English the items' names, fee and materials are the content's English (the scan step lists these).
    kiosk.sessions.setLocale('en');
    const english = (await value(client, 'cases.services', {})).find((s) => s.id === SERVICE);
    expect(english?.materials[0]).toMatchObject({ name: 'Resident ID Card (居民身份证)', required: true });
    expect(english?.name).not.toMatch(/[\u3400-\u9fff]/);
    kiosk.sessions.setLocale('zh-CN');
    const anonymous = await failure(client, 'cases.startDraft', { serviceId: SERVICE });
    expect(anonymous).toMatchObject({ code: 'refused', details: { reason: 'card-required' } });
    expect(anonymous.say).toEqual({ code: 'cases.cardRequired', params: {} });

    await logIn(client);
    const draft = await value(client, 'cases.startDraft', { serviceId: SERVICE });
    expect(draft.applicant).toEqual({ maskedName: '张*丰', maskedIdNumber: '430181********1239', maskedAddress: expect.stringMatching(/^.{1,6}\*{2,4}$/) });
    expect(JSON.stringify(draft)).not.toContain('张三丰');
    expect(draft.missing).toEqual([0]);
    expect((await failure(client, 'cases.startDraft', { serviceId: 'ps-idcard-reissue' })).code).toBe('not_found');

    const progress: number[] = [];
    const off = client.on('cases.scanProgress', (event) => progress.push(event.percent));
    const front = await value(client, 'cases.scanPage', { materialIndex: 0 });
    const back = await value(client, 'cases.scanPage', { materialIndex: 0 });
    off();
    expect(progress.length).toBeGreaterThan(0);
    expect(front.preview).toMatch(/^data:image\/jpeg;base64,/);
    const preview = Buffer.from(front.preview.split(',')[1] ?? '', 'base64');
    expect(preview.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // A rescan takes the page's place; a delete removes it.
    const rescanned = await value(client, 'cases.scanPage', { materialIndex: 0, replacePageId: back.pageId });
    let current = await value(client, 'cases.draft', {});
    expect(current?.pages.map((p) => p.pageId)).toEqual([front.pageId, rescanned.pageId]);
    const extra = await value(client, 'cases.scanPage', { materialIndex: 1 < (current?.service.materials.length ?? 0) ? 1 : 0 });
    current = await value(client, 'cases.deletePage', { pageId: extra.pageId });
    expect(current.pages).toHaveLength(2);
    expect(current.missing).toEqual([]);

    // Submit needs a phone number; the form is cleaned of control characters.
    expect(await failure(client, 'cases.submit', {})).toMatchObject({ code: 'bad_request', details: { field: 'phone' } });
    const updated = await value(client, 'cases.updateForm', { phone: '138\u00000000\u001b0000', mailingAddress: '湖南省示范市\u202e市民大道\u200b88号', remarks: '请\u0007尽快' });
    expect(updated.form).toEqual({ phone: '13800000000', mailingAddress: '湖南省示范市市民大道88号', remarks: '请尽快' });
    const submitted = await value(client, 'cases.submit', {});
    expect(submitted.preAcceptanceNumber).toMatch(/^YS\d{6}0001\d{8}$/);
    expect(submitted.stage).toBe('申请');
    expect(await value(client, 'cases.draft', {})).toBeNull();
    expect(await tableCounts(kiosk)).toEqual({ cases: 1, case_pages: 2, case_stages: 1, outbox: 1 });

    // The slip goes to the receipt printer (simulator over TCP), the A4 PDF is saved (no CUPS queue configured).
    const slip = await value(client, 'cases.printReceipt', { caseId: submitted.caseId, format: 'slip' });
    expect(slip.kind).toBe('printed');
    const job = await kiosk.context.printer?.simulator?.waitForJob((j) => j.text.includes(submitted.preAcceptanceNumber));
    expect(job?.text).toContain('张*丰');
    expect(job?.text).not.toContain('张三丰');
    const a4 = await value(client, 'cases.printReceipt', { caseId: submitted.caseId, format: 'a4' });
    expect(a4).toMatchObject({ kind: 'saved', path: expect.stringContaining(join(dataDir, 'documents')) });
    const text = execFileSync('pdftotext', ['-layout', a4.path ?? '', '-'], { encoding: 'utf8' });
    expect(text).toContain(submitted.preAcceptanceNumber);
    expect(text).toContain('张*丰');
    expect(text).toContain('430181********1239');

    const byNumber = await value(client, 'cases.query', { number: submitted.preAcceptanceNumber.slice(2) });
    expect(byNumber).toMatchObject({ caseId: submitted.caseId, stage: '申请', maskedName: '张*丰', hasResult: false });
    expect(byNumber.stages.map((s) => s.stage)).toEqual(['申请', '受理', '审核', '决定', '办结']);
    expect(byNumber.stages[0]?.at).not.toBeNull();
    expect((await value(client, 'cases.mine', {})).map((c) => c.caseId)).toEqual([submitted.caseId]);
    // In English, the progress view names the stages, the service and the department in English (they were Chinese).
    await value(client, 'session.locale', { locale: 'en' });
    const inEnglish = await value(client, 'cases.query', { number: submitted.preAcceptanceNumber.slice(2) });
    expect(inEnglish.stage).toBe('Application');
    expect(inEnglish.stages.map((s) => s.stage)).toEqual(['Application', 'Accepted', 'Review', 'Decision', 'Completed']);
    expect(`${inEnglish.serviceName} ${inEnglish.department}`).not.toMatch(/[\u4e00-\u9fff]/);
    await value(client, 'session.locale', { locale: 'zh-CN' });

    // Nothing personal in the clear anywhere under the data dir.
    await kiosk.stop();
    host = undefined;
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from('张三丰')), file).toBe(false);
      expect(bytes.includes(Buffer.from('430181198001011239')), file).toBe(false);
    }
  });

  it('answers bad input with clear messages and stores nothing half-way', { timeout: 60_000 }, async () => {
    const { client, kiosk } = await boot();
    await logIn(client);
    await value(client, 'cases.startDraft', { serviceId: SERVICE });
    const longAddress = await failure(client, 'cases.updateForm', { phone: '13800000000', mailingAddress: '长'.repeat(5000), remarks: '' });
    expect(longAddress).toMatchObject({ code: 'bad_request', details: { field: 'mailingAddress' } });
    expect(await failure(client, 'cases.updateForm', { phone: '12345', mailingAddress: '', remarks: '' })).toMatchObject({ code: 'bad_request', details: { field: 'phone' } });
    await value(client, 'cases.updateForm', { phone: '13800000000', mailingAddress: '', remarks: '' });
    const noMaterial = await failure(client, 'cases.submit', {});
    expect(noMaterial).toMatchObject({ code: 'refused', details: { field: 'materials', missing: [0] } });
    expect(noMaterial.say).toMatchObject({ code: 'cases.materialsMissing', params: { materials: expect.stringContaining('居民身份证') as unknown } });
    expect(await failure(client, 'cases.scanPage', { materialIndex: 42 })).toMatchObject({ code: 'bad_request' });
    expect(await failure(client, 'cases.deletePage', { pageId: 'nope' })).toMatchObject({ code: 'not_found' });

    const unknown = await failure(client, 'cases.query', { number: 'YS260101000199990000', phoneLast4: '0000' });
    expect(unknown).toMatchObject({ code: 'not_found', details: { reason: 'no-match' } });
    expect(unknown.say).toEqual({ code: 'cases.noMatch', params: {} });
    expect((await failure(client, 'cases.query', { number: "1' OR '1'='1" })).say?.code).toBe('cases.badNumber');
    // Someone else's (or a guessed) case id cannot be printed.
    expect((await failure(client, 'cases.printReceipt', { caseId: 'not-mine', format: 'a4' })).code).toBe('refused');
    expect(await tableCounts(kiosk)).toEqual({ cases: 0, case_pages: 0, case_stages: 0, outbox: 0 });

  });

  it('answers a progress query by number only with a second factor, and stops a terminal that keeps guessing', { timeout: 120_000 }, async () => {
    const { client, kiosk } = await boot();
    await logIn(client);
    await value(client, 'cases.startDraft', { serviceId: SERVICE });
    await value(client, 'cases.scanPage', { materialIndex: 0 });
    await value(client, 'cases.updateForm', { phone: '13812345678', mailingAddress: '', remarks: '' });
    const { preAcceptanceNumber, caseId } = await value(client, 'cases.submit', {});
    // The applicant, logged in with her card, needs nothing more, and someone else's guessing does not hold her up
    // (a module with a tight limit, on the same host and session).
    expect((await value(client, 'cases.query', { number: preAcceptanceNumber })).caseId).toBe(caseId);
    const neighbour = `${preAcceptanceNumber.slice(0, 14)}${preAcceptanceNumber.slice(14) === '0000' ? '0001' : '0000'}`;
    const tight = casesModule(kiosk.context, kiosk.sessions, { queryLimit: { maxFailures: 2, windowMs: 60_000 } });
    await tight.start?.();
    for (let i = 0; i < 2; i++) expect((await apiError(call(tight, 'cases.query', { number: neighbour, phoneLast4: '5678' }))).details).toMatchObject({ reason: 'no-match' });
    expect((await apiError(call(tight, 'cases.query', { number: neighbour, phoneLast4: '5678' }))).details).toMatchObject({ reason: 'rate-limited' });
    expect((await call(tight, 'cases.query', { number: preAcceptanceNumber })).caseId).toBe(caseId);
    await value(client, 'dev.idcard.remove', {});
    await value(client, 'session.end', { reason: 'logout' });
    await value(client, 'session.begin', {});

    // Anonymous: the number alone is not enough, and the answer is the same whether the number exists or not.
    const bare = await failure(client, 'cases.query', { number: preAcceptanceNumber });
    expect(bare).toMatchObject({ code: 'refused', details: { reason: 'second-factor', field: 'phoneLast4' } });
    expect(await failure(client, 'cases.query', { number: neighbour })).toEqual(bare);
    const view = await value(client, 'cases.query', { number: preAcceptanceNumber, phoneLast4: '5678' });
    expect(view).toMatchObject({ caseId, maskedName: '张*丰' });

    // Wrong digits and a guessed number look alike, and count against this terminal.
    const wrong = await failure(client, 'cases.query', { number: preAcceptanceNumber, phoneLast4: '0000' });
    const guessed = await failure(client, 'cases.query', { number: neighbour, phoneLast4: '5678' });
    expect(wrong).toEqual(guessed);
    expect(wrong).toMatchObject({ code: 'not_found', details: { reason: 'no-match' } });
    for (let i = 0; i < 3; i++) await failure(client, 'cases.query', { number: neighbour, phoneLast4: String(1000 + i) });
    // Five failures: even the right digits wait now.
    const limited = await failure(client, 'cases.query', { number: preAcceptanceNumber, phoneLast4: '5678' });
    expect(limited).toMatchObject({ code: 'refused', details: { reason: 'rate-limited', retryAfterSeconds: expect.any(Number) } });
  });

  it('refuses a 200 MB image before decoding it', { timeout: 60_000 }, async () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d49484452000186a0000186a00802000000', 'hex');
    const huge = Buffer.alloc(200 * 1024 * 1024);
    header.copy(huge);
    const error = await apiError(normaliseScan(huge));
    expect(error.code).toBe('refused');
    expect(error.say).toEqual({ code: 'image.too-large', params: {} });
    expect(error.details).toEqual({ reason: 'too-large' });
  });

  it('applies platform status changes once; only the applicant prints the result', { timeout: 60_000 }, async () => {
    const { client, kiosk } = await boot();
    await logIn(client);
    await value(client, 'cases.startDraft', { serviceId: SERVICE });
    await value(client, 'cases.scanPage', { materialIndex: 0 });
    await value(client, 'cases.updateForm', { phone: '13800000000', mailingAddress: '', remarks: '' });
    const { caseId, preAcceptanceNumber } = await value(client, 'cases.submit', {});
    expect((await failure(client, 'cases.printResult', { caseId })).details).toEqual({ reason: 'no-result' });
    // The receipt printer is out of paper: the citizen is told, the case stays submitted.
    kiosk.context.printer?.simulator?.setState({ paperOut: true });
    expect(await value(client, 'cases.printReceipt', { caseId, format: 'slip' })).toEqual({ kind: 'failed', say: { code: 'print.failed', params: { reason: 'paper_out' } } });
    kiosk.context.printer?.simulator?.setState({ paperOut: false });

    const module = casesModule(kiosk.context, kiosk.sessions);
    await module.start?.();
    const changes = [
      { seq: 11, caseId, status: 'accepted', changedAt: '2026-11-25T03:00:00.000Z' },
      { seq: 12, caseId: preAcceptanceNumber, status: '办结', note: '准予办理，就业创业证请于3号窗口领取。', changedAt: '2026-11-26T03:00:00.000Z' },
      { seq: 13, caseId, status: 'teleported', changedAt: '2026-11-26T04:00:00.000Z' },
    ];
    await module.applyCaseStatus(changes);
    await module.applyCaseStatus(changes); // re-delivered after a crash: nothing changes
    const view = await value(client, 'cases.query', { number: preAcceptanceNumber });
    expect(view).toMatchObject({ stage: '办结', hasResult: true });
    expect(view.stages.filter((s) => s.at !== null).map((s) => s.stage)).toEqual(['申请', '受理', '办结']);
    expect((await kiosk.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_stages'))?.n).toBe(3);

    const printed = await value(client, 'cases.printResult', { caseId });
    expect(printed.kind).toBe('saved');
    expect(execFileSync('pdftotext', [printed.path ?? '', '-'], { encoding: 'utf8' })).toContain('就业创业证请于3号窗口领取');
    // In English the labels, the hall and the page foot are English; the department's result stays as issued, with a note saying so.
    await value(client, 'session.locale', { locale: 'en' });
    const english = await value(client, 'cases.printResult', { caseId });
    const englishText = execFileSync('pdftotext', [english.path ?? '', '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const label of [`Number: ${preAcceptanceNumber}`, 'Applicant: 张*丰', 'Date: ', 'page 1 of 1', 'given in Chinese']) expect(englishText).toContain(label);
    for (const chinese of ['编号', '申请人', '日期', '第 1 页']) expect(englishText).not.toContain(chinese);
    await value(client, 'session.locale', { locale: 'zh-CN' });
    await value(client, 'session.end', { reason: 'logout' });
    await value(client, 'session.begin', {});
    expect(await failure(client, 'cases.printResult', { caseId })).toMatchObject({ code: 'refused', details: { reason: 'card-required' } });
  });
});

describe('scanner trouble during a pre-application', () => {
  /** A spawn that remembers its children, so the test can kill the running scanimage (what unplugging does). */
  function recordingSpawn(children: ChildProcess[]): SpawnFn {
    return (command, args, options) => {
      const child = spawn(command, args, options);
      children.push(child);
      return child;
    };
  }

  async function withScanner(scanner: SaneScanner): Promise<{ module: CasesHostModule; client: ApiClient; drafts: DraftBook }> {
    const { client, kiosk } = await boot();
    await scanner.start();
    cleanups.push(() => scanner.stop());
    const drafts = new DraftBook();
    const module = casesModule({ ...kiosk.context, scanner }, kiosk.sessions, { drafts });
    await module.start?.();
    await logIn(client);
    await call(module, 'cases.startDraft', { serviceId: SERVICE });
    return { module, client, drafts };
  }

  it('says the scanner failed when it disappears mid-scan, and keeps the draft usable', { timeout: 60_000 }, async () => {
    const backend = createTestBackend({ devices: 2 });
    cleanups.push(() => backend.dispose());
    const children: ChildProcess[] = [];
    const scanner = new SaneScanner({ device: 'test:1', saneConfigDir: backend.configDir, logger: silentLogger(), extraArgs: SLOW, spawn: recordingSpawn(children) });
    const { module, client } = await withScanner(scanner);
    const started = nextEvent(client, 'cases.scanProgress');
    const scanning = apiError(call(module, 'cases.scanPage', { materialIndex: 0 }));
    await started;
    backend.setDeviceCount(1);
    children.at(-1)?.kill('SIGKILL');
    const error = await scanning;
    expect(error).toMatchObject({ code: 'unavailable', say: { code: 'scan.io-error' }, details: { reason: 'io-error' } });
    const again = await apiError(call(module, 'cases.scanPage', { materialIndex: 0 }));
    expect(again).toMatchObject({ code: 'unavailable', say: { code: 'scan.no-scanner' } });
    const draft = await call(module, 'cases.draft', {});
    expect(draft?.pages).toEqual([]);
  });

  it('stops the scanner and wipes the draft when the visit ends mid-scan', { timeout: 60_000 }, async () => {
    const scanner = createScanner({ kind: 'simulator', extraArgs: SLOW }, silentLogger());
    const { module, client, drafts } = await withScanner(scanner);
    expect(drafts.size).toBe(1);
    const started = nextEvent(client, 'cases.scanProgress');
    const scanning = apiError(call(module, 'cases.scanPage', { materialIndex: 0 }));
    await started;
    await value(client, 'session.end', { reason: 'logout' });
    expect(await scanning).toMatchObject({ code: 'refused', details: { reason: 'cancelled' } });
    expect(scanner.busy).toBe(false);
    expect(drafts.size).toBe(0);
  });

  it('gives up on a page that takes too long, with a message to retry', { timeout: 60_000 }, async () => {
    const scanner = createScanner({ kind: 'simulator', extraArgs: SLOW, pageTimeoutMs: 1_500, cancelGraceMs: 3_000 }, silentLogger());
    const { module } = await withScanner(scanner);
    const error = await apiError(call(module, 'cases.scanPage', { materialIndex: 0 }));
    expect(error).toMatchObject({ code: 'unavailable', say: { code: 'scan.timeout' }, details: { reason: 'timeout' } });
    expect((await call(module, 'cases.draft', {}))?.pages).toEqual([]);
  });
});
