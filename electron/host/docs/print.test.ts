import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printPdf } from './print.js';

const work = mkdtempSync(join(tmpdir(), 'liuliu-print-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pdf = Buffer.from('%PDF-1.3\n% test document\n%%EOF\n');

describe('printPdf', () => {
  it('saves the PDF when no printer is configured', async () => {
    const outcome = await printPdf(pdf, { fallbackDir: join(work, 'unprinted'), filePrefix: 'receipt' });
    expect(outcome.kind).toBe('saved');
    if (outcome.kind !== 'saved') return;
    expect(outcome.reason).toBe('no-printer');
    expect(outcome.path).toMatch(/unprinted\/receipt-\d{8}T\d{6}-[0-9a-f]{6}\.pdf$/);
    expect(readFileSync(outcome.path)).toEqual(pdf);
    expect(statSync(outcome.path).mode & 0o777).toBe(0o600);
  });

  it('saves the PDF when lp is not installed', async () => {
    const outcome = await printPdf(pdf, { printer: 'hall-a4', fallbackDir: work, lpCommand: join(work, 'no-such-lp') });
    expect(outcome).toMatchObject({ kind: 'saved', reason: 'lp-missing' });
  });

  it('saves the PDF when CUPS refuses the job (real lp, unknown queue)', async () => {
    const outcome = await printPdf(pdf, { printer: 'liuliu-no-such-printer', fallbackDir: work });
    expect(outcome).toMatchObject({ kind: 'saved', reason: 'lp-failed' });
    if (outcome.kind === 'saved') expect(outcome.detail).toMatch(/exit/);
  });

  it('returns failed instead of throwing when even saving is impossible', async () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'x');
    const outcome = await printPdf(pdf, { fallbackDir: join(blocker, 'sub') });
    expect(outcome.kind).toBe('failed');
  });
});
