/**
 * Benchmark of the document path: receipt and guide PDF generation, one A4
 * 300 dpi scan to preview with the SANE test backend, and "case submission
 * with 5 scanned pages" (feeder scan + normalisation + the cases module's
 * submission), with the submission alone (sealing 5 pages and one SQLite
 * transaction with its outbox row, on disk) timed separately.
 *
 *   npx tsx scripts/bench-docs.ts
 *
 * Prints a table, then one JSON object as the last line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createScanner, normalise } from '../devices/scanner/index.js';
import type { NormalisedPage } from '../devices/scanner/index.js';
import { Hall, Services } from '../electron/host/content/schema.js';
import { FontPicker, guidePdf, receiptPdf } from '../electron/host/docs/index.js';
import type { ReceiptData } from '../electron/host/docs/index.js';
import { CaseStore } from '../electron/host/cases/index.js';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../electron/host/storage/outbox.js';

/** Submits a case with its normalised pages (cases module). */
export type CaseSubmissionHook = (pages: NormalisedPage[]) => Promise<void>;

const SUBMIT_TARGET_MS = 300;
const root = join(import.meta.dirname, '..');
const services = Services.parse(JSON.parse(readFileSync(join(root, 'content/hall/services.json'), 'utf8')));
const service = services.services[0];
if (!service) throw new Error('content has no services');

/** The cases store on an on-disk SQLite file (WAL), as the host opens it. */
const caseDir = mkdtempSync(join(tmpdir(), 'liuliu-bench-cases-'));
const caseDb = await Database.open(join(caseDir, 'liuliu.db'));
await caseDb.migrate('outbox', outboxMigrations);
const caseKey = DataKey.fromBytes(randomBytes(32));
const caseStore = await CaseStore.open(caseDb, new Outbox(caseKey), caseKey);
const submitTimes: number[] = [];

/** The cases module's submission: seal the pages and the applicant, number the case, store it with its outbox row in one transaction. */
const connectCaseSubmission: CaseSubmissionHook | null = async (pages) => {
  const started = performance.now();
  await caseStore.submit(
    {
      serviceId: service.id,
      stage: services.stages[0] ?? '申请',
      applicant: { name: '张三丰', idNumber: '430181198001011239', address: '湖南省长沙市岳麓区麓山南路1号', phone: '13800000000', mailingAddress: '', remarks: '' },
      pages: pages.map((page, index) => ({ materialIndex: index % service.guide.materials.length, jpeg: page.jpeg, width: page.width, height: page.height })),
      materialNames: service.guide.materials.map((material) => material.name),
    },
    { terminalId: 'bench-01', terminalCode: '0001', now: new Date() },
  );
  submitTimes.push(performance.now() - started);
};

const RECEIPT_TARGET_MS = 150;
const hall = Hall.parse(JSON.parse(readFileSync(join(root, 'content/hall/hall.json'), 'utf8')));

const receipt: ReceiptData = {
  hallName: hall.fullName,
  number: 'YS20261124-0007',
  serviceName: service.name,
  applicantName: '张三丰',
  idNumber: '430181198001011239',
  materials: service.guide.materials.map((material) => ({ name: material.name, copies: material.copies, pages: 2 })),
  date: new Date(),
  stages: services.stages,
  currentStage: services.stages[1] ?? '受理',
  queryUrl: 'https://example.gov.cn/query?no=YS20261124-0007',
  notes: ['请妥善保管本回执。', '审核结果将以短信通知。'],
  location: '一楼综合受理区 3—8号窗口',
};

async function timed(runs: number, warmup: number, task: () => Promise<unknown>): Promise<{ median: number; p95: number; runs: number }> {
  for (let i = 0; i < warmup; i += 1) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  return { median: at(0.5), p95: at(0.95), runs };
}

/** Scans 5 pages from the simulator's feeder at A4 300 dpi, normalises them and submits them if a hook is connected. */
export async function benchCaseSubmissionWithScannedPages(submit: CaseSubmissionHook | null, runs = 3): Promise<{ median: number; p95: number; runs: number; submissionConnected: boolean }> {
  const scanner = createScanner({ kind: 'simulator' }, pino({ level: 'silent' }));
  await scanner.start();
  try {
    const figures = await timed(runs, 0, async () => {
      const scanned = await scanner.scan({ source: 'adf', maxPages: 5, resolution: 300, mode: 'Color' });
      if (scanned.length !== 5) throw new Error(`expected 5 pages, got ${scanned.length}`);
      const pages = await Promise.all(scanned.map((page) => normalise(page.data)));
      if (submit) await submit(pages);
    });
    return { ...figures, submissionConnected: submit !== null };
  } finally {
    await scanner.stop();
  }
}

async function benchScanToPreview(runs: number): Promise<{ median: number; p95: number; runs: number }> {
  const scanner = createScanner({ kind: 'simulator' }, pino({ level: 'silent' }));
  await scanner.start();
  try {
    return await timed(runs, 1, async () => {
      const [page] = await scanner.scan({ resolution: 300, mode: 'Color' });
      if (!page) throw new Error('no page');
      await normalise(page.data);
    });
  } finally {
    await scanner.stop();
  }
}

const fonts = new FontPicker();
const receiptFigures = await timed(30, 3, () => receiptPdf(receipt, { fonts }));
const guideFigures = await timed(15, 2, () => guidePdf(service, hall, { fonts }));
const scanFigures = await benchScanToPreview(5);
const caseFigures = await benchCaseSubmissionWithScannedPages(connectCaseSubmission, 5);
await caseDb.close();
rmSync(caseDir, { recursive: true, force: true });
const sortedSubmits = [...submitTimes].sort((a, b) => a - b);
const submitAt = (q: number): number => Math.round((sortedSubmits[Math.min(sortedSubmits.length - 1, Math.floor(q * sortedSubmits.length))] ?? 0) * 10) / 10;
const submitFigures = { median: submitAt(0.5), p95: submitAt(0.95), runs: sortedSubmits.length };

const rows: Array<[string, { median: number; p95: number; runs: number }, string]> = [
  ['receipt PDF (A4, QR, CJK font)', receiptFigures, `target ≤ ${RECEIPT_TARGET_MS} ms`],
  ['guide PDF (service guide)', guideFigures, ''],
  ['scan → preview (test backend, A4 300 dpi colour)', scanFigures, 'simulator: real scanners add seconds per page'],
  ['case with 5 scanned pages', caseFigures, caseFigures.submissionConnected ? 'scan + normalise + submit' : 'scan + normalise only (submission not connected)'],
  ['case submission, 5 pages (excl. scan)', submitFigures, `target ≤ ${SUBMIT_TARGET_MS} ms: seal + one transaction + outbox`],
];
console.log('benchmark                                           median ms   p95 ms  runs  note');
for (const [name, figures, note] of rows) {
  console.log(`${name.padEnd(52)}${String(figures.median).padStart(9)}${String(figures.p95).padStart(9)}${String(figures.runs).padStart(6)}  ${note}`);
}
console.log(
  JSON.stringify({
    receiptPdfMedianMs: receiptFigures.median,
    receiptPdfP95Ms: receiptFigures.p95,
    receiptPdfTargetMs: RECEIPT_TARGET_MS,
    receiptPdfWithinTarget: receiptFigures.median <= RECEIPT_TARGET_MS,
    guidePdfMedianMs: guideFigures.median,
    scanToPreviewMedianMs: scanFigures.median,
    caseWith5PagesMedianMs: caseFigures.median,
    caseSubmissionConnected: caseFigures.submissionConnected,
    caseSubmitMedianMs: submitFigures.median,
    caseSubmitP95Ms: submitFigures.p95,
    caseSubmitTargetMs: SUBMIT_TARGET_MS,
    caseSubmitWithinTarget: submitFigures.median <= SUBMIT_TARGET_MS,
  }),
);
