/**
 * ReceiptPrinter: prints PrintDocs on an ESC/POS printer over any
 * PrinterTransport. Each job opens a link, asks real-time status (DLE EOT
 * 1, 2, 4 and 3 on error), refuses the job on a fault, sends it, then waits
 * for a GS r 1 reply — processed in sequence with the print data, so it
 * arrives only once the printer has taken the whole ticket. print() never
 * throws: it returns a PrintResult, and health() follows what it learned.
 */
import { deviceReason, sameDeviceReason } from '../../electron/common/device-reasons.js';
import { Emitter } from '../device.js';
import type { Device, DeviceHealth } from '../device.js';
import { InvalidPrintDocError } from './doc.js';
import type { PrintDoc } from './doc.js';
import { commands, encodeEscPos } from './escpos.js';
import { noopLogger } from './logger.js';
import type { PrinterLogger } from './logger.js';
import {
  FAILURE_MESSAGES,
  PAPER_NEAR_END_MESSAGE,
  demuxStatusBytes,
  initialDemuxState,
  interpretPaperSensor,
  interpretRealtimeStatus,
  offlineCauseHasError,
  printFailure,
} from './status.js';
import type { DemuxState, PrintFailureReason, PrintResult, PrinterCondition, StatusReply } from './status.js';
import { PrinterLinkError, withTimeout } from './transport.js';
import type { PrinterLink, PrinterTransport } from './transport.js';

export interface ReceiptPrinterOptions {
  transport: PrinterTransport;
  /** 32 for 58 mm paper, 48 for 80 mm (default). */
  paperWidthChars?: number;
  /** Send FS & (Chinese mode) at the start of each job. Default true. */
  chineseMode?: boolean;
  connectTimeoutMs?: number;
  /** Per status query. */
  statusTimeoutMs?: number;
  /** Sending the job and its completion reply together. */
  jobTimeoutMs?: number;
  /** Background status check between jobs; 0 = off. */
  pollIntervalMs?: number;
  /**
   * Ask status before and after each job (default true). Turn off only for a
   * printer whose interface never answers (some network boards are
   * one-way): jobs are then sent blind, like on a device file.
   */
  readStatus?: boolean;
  logger?: PrinterLogger;
}

export type ReceiptPrinterEvents = { health: DeviceHealth };

export type StatusCheck =
  | { ok: true; paperNearEnd: boolean; /** false on write-only links (device files). */ statusReadable: boolean }
  | { ok: false; reason: PrintFailureReason; message: string };

type ReplyKind = 'realtime' | 'paper';

/**
 * Status replies on one open link: feeds incoming bytes through the
 * demultiplexer and hands each reply to the query waiting for its kind.
 * Queries are sequential, so one waiter at a time suffices.
 */
class StatusSession {
  private demux: DemuxState = initialDemuxState;
  private waiter: { kind: ReplyKind; resolve: (value: number) => void; reject: (error: Error) => void } | undefined;
  private closedError: PrinterLinkError | undefined;

  constructor(private readonly link: PrinterLink, private readonly logger: PrinterLogger) {
    link.onData((chunk) => {
      const { state, replies } = demuxStatusBytes(this.demux, chunk);
      this.demux = state;
      for (const reply of replies) this.deliver(reply);
    });
    link.onClose((error) => {
      this.closedError = new PrinterLinkError('disconnected', error === undefined ? 'printer closed the connection' : `connection lost: ${error.message}`);
      this.waiter?.reject(this.closedError);
      this.waiter = undefined;
    });
  }

  async query(command: Buffer, kind: ReplyKind, timeoutMs: number): Promise<number> {
    if (this.closedError !== undefined) throw this.closedError;
    const reply = new Promise<number>((resolve, reject) => {
      this.waiter = { kind, resolve, reject };
    });
    reply.catch(() => undefined);
    await this.link.write(command);
    return withTimeout(reply, timeoutMs, 'timeout', `${kind} status reply`).finally(() => {
      this.waiter = undefined;
    });
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.closedError !== undefined) throw this.closedError;
    await this.link.write(bytes);
  }

  private deliver(reply: StatusReply): void {
    if (reply.kind === 'asb' || reply.kind === 'unknown' || this.waiter?.kind !== reply.kind) {
      this.logger.debug({ reply }, 'printer: unsolicited status byte ignored');
      return;
    }
    this.waiter.resolve(reply.value);
    this.waiter = undefined;
  }
}

async function readCondition(session: StatusSession, timeoutMs: number): Promise<PrinterCondition> {
  const printer = await session.query(commands.realtimeStatus(1), 'realtime', timeoutMs);
  const offlineCause = await session.query(commands.realtimeStatus(2), 'realtime', timeoutMs);
  const paper = await session.query(commands.realtimeStatus(4), 'realtime', timeoutMs);
  const errorCause = offlineCauseHasError(offlineCause) ? await session.query(commands.realtimeStatus(3), 'realtime', timeoutMs) : undefined;
  return interpretRealtimeStatus(errorCause === undefined ? { printer, offlineCause, paper } : { printer, offlineCause, paper, errorCause });
}

/** Health note for links that cannot report paper or cover state. */
const BLIND_LINK_NOTE = deviceReason('device.printerBlindLink', {});
const PAPER_NEAR_END = deviceReason('device.printerPaperNearEnd', {});

const LINK_FAILURES = new Set<PrintFailureReason>(['unreachable', 'timeout', 'disconnected']);

export class ReceiptPrinter implements Device<ReceiptPrinterEvents> {
  readonly events = new Emitter<ReceiptPrinterEvents>();
  private currentHealth: DeviceHealth;
  private queue: Promise<unknown> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly transport: PrinterTransport;
  private readonly logger: PrinterLogger;
  private readonly paperWidthChars: number;
  private readonly chineseMode: boolean;
  private readonly connectTimeoutMs: number;
  private readonly statusTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly readStatus: boolean;

  constructor(options: ReceiptPrinterOptions) {
    this.transport = options.transport;
    this.logger = options.logger ?? noopLogger;
    this.paperWidthChars = options.paperWidthChars ?? 48;
    this.chineseMode = options.chineseMode ?? true;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 2000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 15_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 0;
    this.readStatus = options.readStatus ?? true;
    this.currentHealth = { state: 'starting', endpoint: this.transport.endpoint };
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  health(): DeviceHealth {
    return { ...this.currentHealth };
  }

  /** Checks status once (never throws) and starts background polling if configured. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.checkStatus();
    if (this.pollIntervalMs > 0 && this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => void this.checkStatus(), this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  /** Refuses new jobs, lets the running one finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.queue.catch(() => undefined);
    this.setHealth({ state: 'disconnected', reason: deviceReason('device.printerFault', { reason: 'stopped' }) });
  }

  /** Asks the printer for its status and updates health. */
  checkStatus(): Promise<StatusCheck> {
    return this.enqueue(() => this.runStatusCheck());
  }

  print(doc: PrintDoc): Promise<PrintResult> {
    if (this.stopped) return Promise.resolve(printFailure('stopped'));
    let bytes: Buffer;
    try {
      bytes = encodeEscPos(doc, { paperWidthChars: this.paperWidthChars, chineseMode: this.chineseMode });
    } catch (error) {
      const detail = error instanceof InvalidPrintDocError ? error.message : String(error);
      this.logger.warn({ err: detail }, 'printer: document refused');
      return Promise.resolve(printFailure('invalid_document'));
    }
    return this.enqueue(() => this.runJob(bytes));
  }

  /** One link at a time: jobs and status checks never interleave on the wire. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runStatusCheck(): Promise<StatusCheck> {
    return this.withLink<StatusCheck>(async (session, link) => {
      if (!link.canRead || !this.readStatus) {
        this.setHealth({ state: 'ok', reason: BLIND_LINK_NOTE });
        return { ok: true, paperNearEnd: false, statusReadable: false };
      }
      const condition = await readCondition(session, this.statusTimeoutMs);
      this.applyCondition(condition);
      if (condition.fault !== undefined) return { ok: false, reason: condition.fault, message: FAILURE_MESSAGES[condition.fault] };
      return { ok: true, paperNearEnd: condition.paperNearEnd, statusReadable: true };
    }, (reason, message) => ({ ok: false, reason, message }));
  }

  private async runJob(bytes: Buffer): Promise<PrintResult> {
    const startedAt = performance.now();
    return this.withLink<PrintResult>(async (session, link) => {
      if (!link.canRead || !this.readStatus) {
        await withTimeout(session.write(bytes), this.jobTimeoutMs, 'timeout', 'sending the job');
        this.setHealth({ state: 'ok', reason: BLIND_LINK_NOTE });
        this.logger.info({ bytes: bytes.length, ms: Math.round(performance.now() - startedAt) }, 'printer: job sent (write-only link)');
        return { printed: true };
      }
      const before = await readCondition(session, this.statusTimeoutMs);
      this.applyCondition(before);
      if (before.fault !== undefined) {
        this.logger.warn({ fault: before.fault }, 'printer: job refused, printer not ready');
        return printFailure(before.fault);
      }
      const completion = withTimeout(
        session.write(bytes).then(() => session.query(commands.paperSensorStatus(), 'paper', this.jobTimeoutMs)),
        this.jobTimeoutMs,
        'timeout',
        'printing the job',
      );
      const after = interpretPaperSensor(await completion);
      const condition = { paperNearEnd: after.paperNearEnd || before.paperNearEnd, ...(after.fault === undefined ? {} : { fault: after.fault }) };
      this.applyCondition(condition);
      this.logger.info({ bytes: bytes.length, ms: Math.round(performance.now() - startedAt), fault: after.fault }, 'printer: job done');
      if (after.fault !== undefined) return printFailure(after.fault, '票据可能未完整打印');
      return condition.paperNearEnd ? { printed: true, warning: { reason: 'paper_near_end', message: PAPER_NEAR_END_MESSAGE } } : { printed: true };
    }, (reason, message) => ({ printed: false, reason, message }));
  }

  /**
   * Opens a link, runs `work`, always closes it. Link errors and anything
   * unexpected become `fail(reason, message)` and a health update.
   */
  private async withLink<T>(work: (session: StatusSession, link: PrinterLink) => Promise<T>, fail: (reason: PrintFailureReason, message: string) => T): Promise<T> {
    let link: PrinterLink | undefined;
    try {
      link = await this.transport.open(this.connectTimeoutMs);
      return await work(new StatusSession(link, this.logger), link);
    } catch (error) {
      const reason: PrintFailureReason = error instanceof PrinterLinkError ? error.reason : 'printer_error';
      this.logger.warn({ reason, err: error instanceof Error ? error.message : String(error), endpoint: this.transport.endpoint }, 'printer: link failed');
      const message = FAILURE_MESSAGES[reason];
      this.setHealth({ state: LINK_FAILURES.has(reason) ? 'disconnected' : 'error', reason: deviceReason('device.printerFault', { reason }) });
      return fail(reason, message);
    } finally {
      await link?.close().catch(() => undefined);
    }
  }

  private applyCondition(condition: PrinterCondition): void {
    if (condition.fault !== undefined) this.setHealth({ state: 'error', reason: deviceReason('device.printerFault', { reason: condition.fault }) });
    else if (condition.paperNearEnd) this.setHealth({ state: 'degraded', reason: PAPER_NEAR_END });
    else this.setHealth({ state: 'ok' });
  }

  private setHealth(health: Omit<DeviceHealth, 'endpoint'>): void {
    const next: DeviceHealth = { ...health, endpoint: this.transport.endpoint };
    const changed = next.state !== this.currentHealth.state || !sameDeviceReason(next.reason, this.currentHealth.reason);
    this.currentHealth = next;
    if (changed) {
      this.logger.info({ health: next }, 'printer: health changed');
      this.events.emit('health', this.health());
    }
  }
}
