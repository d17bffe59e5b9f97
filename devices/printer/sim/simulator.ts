/**
 * A network receipt printer on TCP (the port-9100 "raw" convention): decodes
 * the ESC/POS it receives into jobs, answers DLE EOT / GS r / ASB from a
 * settable state, and drops connections on demand. Jobs can be written to a
 * folder as job-0001.txt / .png / .bin for people to look at.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { noopLogger } from '../logger.js';
import type { PrinterLogger } from '../logger.js';
import { EscPosTokenizer, initialPrinterModel, mergeCutFeeds, pendingItems, stepPrinter } from './decoder.js';
import type { DecodedItem, EscPosToken, PrinterEvent, PrinterModel } from './decoder.js';
import { renderJobPng, renderJobText } from './render.js';

/**
 * Job files are read by tests and people while the simulator runs: write
 * beside the name and rename, so a reader sees a whole file or none (an
 * in-place write shows an empty file between open and write).
 */
async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  // Receipts carry (masked) personal data: readable by the kiosk user only.
  await writeFile(`${path}.partial`, data, { mode: 0o600 });
  await rename(`${path}.partial`, path);
}

export interface SimulatedPrinterState {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Offline with no specific cause (e.g. the operator pressed the offline key). */
  offline: boolean;
  cutterError: boolean;
  /** Accepts bytes but never answers a status query (a hung printer). */
  unresponsive: boolean;
}

export type SimulatorFault = 'drop-mid-job';

export interface PrintedJob {
  /** 1-based, counted over the simulator's lifetime (file names use it). */
  id: number;
  /** true when the job ended with a cut. */
  complete: boolean;
  /** `too-long`: the stream reached MAX_JOB_BYTES without a cut; the simulator closed the job there and goes on with a new one. */
  endedBy: 'cut' | 'close' | 'dropped' | 'too-long';
  bytes: Buffer;
  tokens: EscPosToken[];
  items: DecodedItem[];
  /** renderJobText(items): `[C 2x2 B] A023`, `[C] [QR: …]`, `[C] [BARCODE EAN13: …]`, `--- cut ---`. */
  text: string;
  /** Unknown bytes, ignored commands and oddities, reported rather than fatal. */
  issues: string[];
  /** Drawer kicks and beeps the job asked for (not printed, not issues). */
  events: PrinterEvent[];
  /** performance.now() at the job's first byte. */
  startedAt: number;
  /** performance.now() when the cut command (the last byte of a ticket) was decoded. */
  cutAt?: number;
  endedAt: number;
  files?: { txt: string; png: string; bin: string };
}

export interface StatusQueryRecord {
  command: 'DLE EOT' | 'GS r' | 'GS I';
  n: number;
  at: number;
  answered: boolean;
}

export interface PrinterSimulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  host?: string;
  /** Write job-NNNN.txt/.png/.bin here. */
  outDir?: string;
  /** Paper width for PNG rendering: 32 (58 mm) or 48 (80 mm, default). */
  paperWidthChars?: number;
  logger?: PrinterLogger;
  /**
   * Jobs and status queries kept in memory for jobs()/waitForJob(): the last
   * this many (default 200 jobs, 2,000 queries). A kiosk runs the simulator
   * for days; without a bound every ticket ever printed stayed in the heap.
   */
  keepJobs?: number;
}

const DEFAULT_KEEP_JOBS = 200;
/**
 * Jobs waiting for their files (text, bytes, PNG) beyond this are recorded
 * without files: PNG rendering is slower than a busy kiosk issues tickets, and
 * the waiting jobs (each with its bytes) grew without bound — 3,873 of them,
 * 21 MB of buffers, after 6,000 tickets in bench:soak.
 */
const MAX_JOBS_WAITING_FOR_FILES = 32;
const QUERIES_PER_JOB = 10;
/**
 * A stream that never cuts (a runaway driver, a hostile client on port 9100)
 * must not grow one job without bound: at this many bytes the job is closed
 * (`too-long`) and the next bytes start another. A real printer prints and
 * forgets as it goes; a ticket or receipt is a few kilobytes, a logo-heavy
 * receipt a few hundred.
 */
export const MAX_JOB_BYTES = 4 * 1024 * 1024;
/** Issues kept per job; past it one line says how many more there were. */
const MAX_JOB_ISSUES = 200;
/** Connections open at once; a further one is closed at once (a printer serves one host at a time, a kiosk needs two at most). */
export const MAX_CONNECTIONS = 16;

/** Drops the oldest entries beyond `limit` (in place, so readers holding the array see it bounded). */
function keepLast<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}

const HEALTHY: SimulatedPrinterState = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, cutterError: false, unresponsive: false };

/** DLE EOT n replies for a state (spec §6.1); fixed bits 0x12. */
export function realtimeStatusReply(state: SimulatedPrinterState, n: number): number {
  const offline = state.offline || state.paperOut || state.coverOpen || state.cutterError;
  switch (n) {
    case 1: return 0x12 | (offline ? 0x08 : 0);
    case 2: return 0x12 | (state.coverOpen ? 0x04 : 0) | (state.paperOut ? 0x20 : 0) | (state.cutterError ? 0x40 : 0);
    case 3: return 0x12 | (state.cutterError ? 0x08 : 0);
    case 4: return 0x12 | (state.paperNearEnd || state.paperOut ? 0x0c : 0) | (state.paperOut ? 0x60 : 0);
    default: return 0x12;
  }
}

/** GS r 1 reply (spec §6.2): bits 0–1 near end, bits 2–3 paper end. */
export function paperSensorReply(state: SimulatedPrinterState): number {
  return (state.paperNearEnd || state.paperOut ? 0x03 : 0) | (state.paperOut ? 0x0c : 0);
}

/** Automatic Status Back block (spec §6.3). */
export function asbBlock(state: SimulatedPrinterState): Buffer {
  const offline = state.offline || state.paperOut || state.coverOpen || state.cutterError;
  return Buffer.from([
    0x10 | (offline ? 0x08 : 0) | (state.coverOpen ? 0x20 : 0),
    state.cutterError ? 0x08 : 0,
    (state.paperNearEnd || state.paperOut ? 0x03 : 0) | (state.paperOut ? 0x0c : 0),
    0,
  ]);
}

/** What GS I n reports about the simulated printer (Epson TM-series forms). */
const PRINTER_ID = {
  modelId: 0x20,
  /** Bit0 multi-byte (Chinese) characters, bit1 autocutter. */
  typeId: 0x03,
  versionId: 0x01,
  strings: new Map<number, string>([
    [65, '1.00 SIM'],
    [66, 'LIULIU'],
    [67, 'LIULIU-SIM'],
    [68, 'SIM0000001'],
    [69, 'CHINA GB18030'],
  ]),
};

/**
 * GS I n reply: one byte for n = 1/2/3 (or '1'–'3'), `_ text NUL` for 65–69;
 * undefined (no reply) for n the printer does not know. The kiosk itself never
 * sends GS I, so these bytes never reach the driver's status demultiplexer.
 */
export function printerIdReply(n: number): Buffer | undefined {
  const single = n >= 0x31 && n <= 0x33 ? n - 0x30 : n;
  if (single === 1) return Buffer.from([PRINTER_ID.modelId]);
  if (single === 2) return Buffer.from([PRINTER_ID.typeId]);
  if (single === 3) return Buffer.from([PRINTER_ID.versionId]);
  const text = PRINTER_ID.strings.get(n);
  return text === undefined ? undefined : Buffer.concat([Buffer.from([0x5f]), Buffer.from(text, 'latin1'), Buffer.from([0x00])]);
}

interface OpenJob {
  startedAt: number;
  tokens: EscPosToken[];
  bytes: Buffer[];
  /** The sum of `bytes`' lengths (MAX_JOB_BYTES). */
  byteCount: number;
  /** Issues past MAX_JOB_ISSUES, counted only. */
  issuesDropped: number;
  model: PrinterModel;
  items: DecodedItem[];
  issues: string[];
  events: PrinterEvent[];
}

interface Connection {
  socket: Socket;
  tokenizer: EscPosTokenizer;
  job: OpenJob | undefined;
  asbEnabled: boolean;
  /** drop-mid-job armed for this connection's current job. */
  dropAfterFirstLine: boolean;
  dropped: boolean;
}

/** Status and real-time traffic: answered or acted on, never the start of a print job. */
const NON_JOB_TOKENS = new Set<EscPosToken['type']>(['realtime-status-query', 'paper-status-query', 'asb-enable', 'printer-id-query', 'realtime-request']);

export class PrinterSimulator {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private state: SimulatedPrinterState = { ...HEALTHY };
  private readonly recorded: PrintedJob[] = [];
  private readonly queries: StatusQueryRecord[] = [];
  private readonly jobListeners = new Set<(job: PrintedJob) => void>();
  private readonly waiters = new Set<{ predicate: (job: PrintedJob) => boolean; resolve: (job: PrintedJob) => void }>();
  private pendingFault: SimulatorFault | undefined;
  private nextJobId = 1;
  /** Jobs are recorded in order, after their files are written. */
  private recording: Promise<void> = Promise.resolve();
  private waitingForFiles = 0;
  /** Jobs recorded without files because too many were waiting (see MAX_JOBS_WAITING_FOR_FILES). */
  jobsWithoutFiles = 0;
  private readonly logger: PrinterLogger;
  private readonly paperWidthChars: number;

  constructor(private readonly options: PrinterSimulatorOptions = {}) {
    this.logger = options.logger ?? noopLogger;
    this.paperWidthChars = options.paperWidthChars ?? 48;
  }

  async start(): Promise<void> {
    if (this.options.outDir !== undefined) await mkdir(this.options.outDir, { recursive: true, mode: 0o700 });
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.logger.info({ url: this.url }, 'printer simulator listening');
  }

  get port(): number {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new Error('printer simulator is not listening');
    return (address as AddressInfo).port;
  }

  get url(): string {
    return `tcp://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  jobs(): PrintedJob[] {
    return [...this.recorded];
  }

  statusQueries(): StatusQueryRecord[] {
    return [...this.queries];
  }

  currentState(): SimulatedPrinterState {
    return { ...this.state };
  }

  setState(change: Partial<SimulatedPrinterState>): void {
    this.state = { ...this.state, ...change };
    for (const connection of this.connections) {
      if (connection.asbEnabled && !this.state.unresponsive) this.reply(connection, asbBlock(this.state));
    }
  }

  /** Arms a fault for the next job that starts (one job only). */
  failNextJob(fault: SimulatorFault): void {
    this.pendingFault = fault;
  }

  /** Called for every job as it is recorded (after its files are written). */
  onJob(listener: (job: PrintedJob) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  /** First recorded job matching the predicate, waiting for one if none has arrived yet. */
  waitForJob(predicate: (job: PrintedJob) => boolean = () => true, timeoutMs = 10_000): Promise<PrintedJob> {
    const existing = this.recorded.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (job: PrintedJob) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(job);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching print job within ${timeoutMs} ms (${this.recorded.length} recorded)`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Connections open now (at most MAX_CONNECTIONS). */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Healthy state, no armed fault, no recorded jobs or queries. Open connections stay. */
  reset(): void {
    this.state = { ...HEALTHY };
    this.pendingFault = undefined;
    this.recorded.length = 0;
    this.queries.length = 0;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.recording;
  }

  renderPng(job: PrintedJob): Promise<Buffer> {
    return renderJobPng(job.items, this.paperWidthChars);
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS) {
      this.logger.warn({ open: this.connections.size }, 'printer simulator refused a connection: too many open');
      socket.destroy();
      return;
    }
    const connection: Connection = { socket, tokenizer: new EscPosTokenizer(), job: undefined, asbEnabled: false, dropAfterFirstLine: false, dropped: false };
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('error', (error) => this.logger.debug({ err: error.message }, 'printer simulator socket error'));
    socket.on('close', () => {
      this.connections.delete(connection);
      if (connection.dropped) return;
      for (const token of connection.tokenizer.end()) this.handle(connection, token, Buffer.alloc(0));
      if (connection.job !== undefined) this.finishJob(connection, 'close');
    });
  }

  private receive(connection: Connection, chunk: Buffer): void {
    for (const { token, bytes } of connection.tokenizer.pushWithBytes(chunk)) {
      if (connection.dropped) return;
      this.handle(connection, token, bytes);
    }
  }

  private handle(connection: Connection, token: EscPosToken, bytes: Buffer): void {
    const now = performance.now();
    if (NON_JOB_TOKENS.has(token.type)) {
      this.answer(connection, token, now);
      return;
    }
    if (connection.job === undefined) {
      connection.job = { startedAt: now, tokens: [], bytes: [], byteCount: 0, issuesDropped: 0, model: initialPrinterModel(), items: [], issues: [], events: [] };
      if (this.pendingFault === 'drop-mid-job') {
        this.pendingFault = undefined;
        connection.dropAfterFirstLine = true;
      }
    }
    const job = connection.job;
    job.tokens.push(token);
    job.bytes.push(Buffer.from(bytes));
    job.byteCount += bytes.length;
    const step = stepPrinter(job.model, token);
    job.model = step.model;
    job.items.push(...step.items);
    if (step.issue !== undefined) {
      if (job.issues.length < MAX_JOB_ISSUES) job.issues.push(step.issue);
      else job.issuesDropped++;
    }
    if (step.event !== undefined) job.events.push(step.event);
    if (token.type === 'cut') {
      this.finishJob(connection, 'cut', now);
    } else if (job.byteCount >= MAX_JOB_BYTES) {
      this.finishJob(connection, 'too-long');
    } else if (connection.dropAfterFirstLine && job.items.length > 0) {
      // The first line got printed, then the link dies: a half-printed ticket.
      connection.dropped = true;
      connection.socket.destroy();
      this.finishJob(connection, 'dropped');
    }
  }

  private answer(connection: Connection, token: EscPosToken, at: number): void {
    const answered = !this.state.unresponsive;
    if (token.type === 'realtime-status-query') {
      this.queries.push({ command: 'DLE EOT', n: token.n, at, answered });
      keepLast(this.queries, (this.options.keepJobs ?? DEFAULT_KEEP_JOBS) * QUERIES_PER_JOB);
      if (answered) this.reply(connection, Buffer.from([realtimeStatusReply(this.state, token.n)]));
    } else if (token.type === 'paper-status-query') {
      this.queries.push({ command: 'GS r', n: token.n, at, answered });
      keepLast(this.queries, (this.options.keepJobs ?? DEFAULT_KEEP_JOBS) * QUERIES_PER_JOB);
      if (answered) this.reply(connection, Buffer.from([token.n === 1 || token.n === 0x31 ? paperSensorReply(this.state) : 0x00]));
    } else if (token.type === 'printer-id-query') {
      this.queries.push({ command: 'GS I', n: token.n, at, answered });
      keepLast(this.queries, (this.options.keepJobs ?? DEFAULT_KEEP_JOBS) * QUERIES_PER_JOB);
      const reply = printerIdReply(token.n);
      if (answered && reply !== undefined) this.reply(connection, reply);
    } else if (token.type === 'asb-enable') {
      connection.asbEnabled = token.n !== 0;
      if (connection.asbEnabled && answered) this.reply(connection, asbBlock(this.state));
    }
  }

  private reply(connection: Connection, bytes: Buffer): void {
    if (!connection.dropped && !connection.socket.destroyed) connection.socket.write(bytes);
  }

  private finishJob(connection: Connection, endedBy: PrintedJob['endedBy'], cutAt?: number): void {
    const open = connection.job;
    connection.job = undefined;
    if (open === undefined) return;
    open.items.push(...pendingItems(open.model));
    if (open.issuesDropped > 0) open.issues.push(`… and ${open.issuesDropped} more issues`);
    if (endedBy === 'too-long') open.issues.push(`job reached ${MAX_JOB_BYTES} bytes without a cut: closed here by the simulator`);
    const items = mergeCutFeeds(open.items);
    // A trailing ESC @ after a cut (node-thermal-printer does that) is not a job.
    if (endedBy === 'close' && !items.some((item) => item.kind !== 'feed')) return;
    const job: PrintedJob = {
      id: this.nextJobId++,
      complete: endedBy === 'cut',
      endedBy,
      bytes: Buffer.concat(open.bytes),
      tokens: open.tokens,
      items,
      text: renderJobText(items),
      issues: open.issues,
      events: open.events,
      startedAt: open.startedAt,
      endedAt: performance.now(),
      ...(cutAt === undefined ? {} : { cutAt }),
    };
    if (this.options.outDir !== undefined && this.waitingForFiles >= MAX_JOBS_WAITING_FOR_FILES) {
      this.jobsWithoutFiles += 1;
      if (this.jobsWithoutFiles === 1 || this.jobsWithoutFiles % 1000 === 0) this.logger.warn({ job: job.id, jobsWithoutFiles: this.jobsWithoutFiles }, 'printer simulator: job files fall behind; recording this job without files');
      // Still in order behind the jobs being written, but holding no more than itself.
      this.recording = this.recording.then(() => this.record(job));
      return;
    }
    this.waitingForFiles += 1;
    this.recording = this.recording.then(() => this.recordWithFiles(job)).finally(() => {
      this.waitingForFiles -= 1;
    });
  }

  private async recordWithFiles(job: PrintedJob): Promise<void> {
    const outDir = this.options.outDir;
    if (outDir !== undefined) {
      const base = join(outDir, `job-${String(job.id).padStart(4, '0')}`);
      const files = { txt: `${base}.txt`, png: `${base}.png`, bin: `${base}.bin` };
      try {
        await writeWhole(files.txt, job.issues.length === 0 ? job.text : `${job.text}\n# issues\n${job.issues.join('\n')}\n`);
        await writeWhole(files.bin, job.bytes);
        await writeWhole(files.png, await this.renderPng(job));
        job.files = files;
      } catch (error) {
        this.logger.error({ err: (error as Error).message, job: job.id }, 'printer simulator could not write job files');
      }
    }
    this.record(job);
  }

  private record(job: PrintedJob): void {
    this.recorded.push(job);
    keepLast(this.recorded, this.options.keepJobs ?? DEFAULT_KEEP_JOBS);
    this.logger.info({ job: job.id, endedBy: job.endedBy, items: job.items.length }, 'printer simulator recorded a job');
    for (const listener of this.jobListeners) listener(job);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(job)) waiter.resolve(job);
    }
  }
}
