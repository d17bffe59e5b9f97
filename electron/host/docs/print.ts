import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logging/logger.js';

/**
 * System print path of the browser shell: send a PDF to a CUPS queue with
 * `lp` (PDF on stdin, no shell). When no printer is configured, `lp` is
 * missing or refuses the job, the PDF is saved in a directory instead so
 * staff can print it later. Never throws: the outcome is a value.
 */
export type PrintOutcome =
  | { kind: 'printed'; printer: string; jobId: string | null }
  | { kind: 'saved'; path: string; reason: 'no-printer' | 'lp-missing' | 'lp-failed'; detail?: string }
  | { kind: 'failed'; error: string };

export interface PrintOptions {
  /** CUPS queue name; absent = no printer configured → save. */
  printer?: string;
  /** Where PDFs are saved when they cannot be printed. */
  fallbackDir: string;
  /** Job title shown in the CUPS queue (no personal data). Default liuliu. */
  title?: string;
  /** File name prefix of saved PDFs. Default document. */
  filePrefix?: string;
  /** Default `lp`. */
  lpCommand?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
  logger?: Logger;
}

export async function printPdf(pdf: Buffer, options: PrintOptions): Promise<PrintOutcome> {
  if (options.printer === undefined || options.printer.trim() === '') return save(pdf, options, 'no-printer');
  const result = await runLp(pdf, options.printer, options);
  if (result.ok) {
    options.logger?.info({ printer: options.printer, jobId: result.jobId }, 'pdf sent to printer');
    return { kind: 'printed', printer: options.printer, jobId: result.jobId };
  }
  options.logger?.warn({ printer: options.printer, reason: result.reason, detail: result.detail }, 'lp failed; saving pdf instead');
  return save(pdf, options, result.reason, result.detail);
}

type LpResult = { ok: true; jobId: string | null } | { ok: false; reason: 'lp-missing' | 'lp-failed'; detail: string };

function runLp(pdf: Buffer, printer: string, options: PrintOptions): Promise<LpResult> {
  const args = ['-d', printer, '-t', options.title ?? 'liuliu', '--', '-'];
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = (options.spawn ?? spawn)(options.lpCommand ?? 'lp', args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false, env: { ...process.env, LC_ALL: 'C' } });
    } catch (error) {
      resolve({ ok: false, reason: 'lp-missing', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    let stdout = '';
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => (spawnError = error));
    // lp may exit before reading all of stdin (unknown printer): ignore EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(pdf);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (spawnError !== undefined) {
        resolve({ ok: false, reason: spawnError.code === 'ENOENT' ? 'lp-missing' : 'lp-failed', detail: spawnError.message });
      } else if (code === 0) {
        resolve({ ok: true, jobId: /request id is (\S+)/.exec(stdout)?.[1] ?? null });
      } else {
        resolve({ ok: false, reason: 'lp-failed', detail: `${signal === null ? `exit ${String(code)}` : `signal ${signal}`}: ${stderr.trim().slice(0, 300)}` });
      }
    });
  });
}

async function save(pdf: Buffer, options: PrintOptions, reason: 'no-printer' | 'lp-missing' | 'lp-failed', detail?: string): Promise<PrintOutcome> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const prefix = (options.filePrefix ?? 'document').replace(/[^\w-]/g, '_');
  const path = join(options.fallbackDir, `${prefix}-${stamp}-${randomBytes(3).toString('hex')}.pdf`);
  try {
    await mkdir(options.fallbackDir, { recursive: true, mode: 0o700 });
    // Receipts carry (masked) personal data: readable by the kiosk user only.
    await writeFile(path, pdf, { mode: 0o600, flag: 'wx' });
    options.logger?.info({ path, reason }, 'pdf saved instead of printed');
    return { kind: 'saved', path, reason, ...(detail === undefined ? {} : { detail }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.logger?.error({ dir: options.fallbackDir, error: message }, 'could not save pdf');
    return { kind: 'failed', error: message };
  }
}
