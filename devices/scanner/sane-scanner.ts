import { spawn as nodeSpawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceReason, sameDeviceReason } from '../../electron/common/device-reasons.js';
import { Emitter } from '../device.js';
import type { Device, DeviceHealth } from '../device.js';
import { buildScanArgs, pageNumberOfFile, resolveScanOptions } from './args.js';
import type { ScanOptions } from './args.js';
import { DEVICE_FAULT_CODES, ScanError, classifyFinishedScan, statusFromMessages } from './errors.js';
import { DEVICE_LIST_FORMAT, StderrParser, detectImageFormat, parseCapabilities, parseDeviceList } from './parse.js';
import type { DeviceCapabilities, DiscoveredDevice, ImageFormat, RoundedValue, StderrEvent } from './parse.js';
import { runProcess } from './process.js';
import type { ProcessExit, RunningProcess, SpawnFn, StopReason } from './process.js';

/** Prefix of the per-scan temporary directories under tempRoot. */
export const SCAN_DIR_PREFIX = 'liuliu-scan-';

/**
 * Deletes scan directories an earlier run left under `root` (a crash mid-scan
 * must not leave a citizen's page on disk) and makes sure `root` exists,
 * readable by the kiosk user only. Call it before the first scan. Returns how
 * many were deleted.
 */
export function sweepScanTemp(root: string): number {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  let swept = 0;
  for (const name of readdirSync(root)) {
    if (!name.startsWith(SCAN_DIR_PREFIX)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    swept += 1;
  }
  return swept;
}

/** The part of a pino logger the driver uses (devices/ must not import the host's logger module). */
export interface DriverLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface ScanProgress {
  /** 1-based page being scanned. */
  page: number;
  /** 0–100 for that page. */
  percent: number;
}

export interface ScannedPage {
  /** 1-based, in feed order. */
  index: number;
  format: ImageFormat;
  data: Buffer;
  resolution: number;
  /** Values the backend clamped (e.g. A4 height on a shorter flatbed); empty when the page is exactly what was asked. */
  adjustments: RoundedValue[];
}

export interface SaneScannerOptions {
  /** SANE device name, e.g. `test:0`, `genesys:libusb:001:004`. */
  device: string;
  /** Directory with the dll.conf to use (SANE_CONFIG_DIR); default: the system's /etc/sane.d. */
  saneConfigDir?: string;
  /** Extra backend options appended to every scan, e.g. `['--read-return-value', 'SANE_STATUS_JAMMED']`. */
  extraArgs?: readonly string[];
  /** Watchdog per page: a page (or the wait for it) taking longer is cancelled. Default 60 s. */
  pageTimeoutMs?: number;
  /** After SIGINT, how long to wait before SIGKILL. Default 5 s. */
  cancelGraceMs?: number;
  /** Limit for discovery and device probes. Default 15 s. */
  probeTimeoutMs?: number;
  /** Default `scanimage`. */
  command?: string;
  /** Parent of the per-scan temporary directories. Default os.tmpdir(). */
  tempRoot?: string;
  spawn?: SpawnFn;
  logger: DriverLogger;
  /** Runs once at the end of stop(), e.g. to remove a simulator's config directory. */
  onStopped?: () => void;
}

const MAX_KEPT_MESSAGES = 200;
/**
 * After scanimage has printed a failed sane_start/sane_read it should exit at
 * once; the test backend sometimes hangs there instead (its reader process
 * races the error). Past this delay the process is stopped and the printed
 * status decides the error.
 */
const EXIT_AFTER_FAILURE_MS = 3_000;

interface ActiveScan {
  process?: RunningProcess;
  stopRequested?: StopReason;
  finished: Promise<unknown>;
}

/**
 * Drives one scanner through `scanimage`, one scan at a time. Errors are
 * thrown as {@link ScanError} (typed code + Chinese user message); health is
 * kept current and emitted as `health` events.
 */
export class SaneScanner implements Device {
  readonly events = new Emitter<{ health: DeviceHealth }>();
  private state: DeviceHealth;
  private capabilities: DeviceCapabilities | undefined;
  private active: ActiveScan | undefined;
  private stopped = false;
  private readonly spawnFn: SpawnFn;
  private readonly command: string;
  private readonly logger: DriverLogger;

  constructor(private readonly options: SaneScannerOptions) {
    this.spawnFn = options.spawn ?? (nodeSpawn as SpawnFn);
    this.command = options.command ?? 'scanimage';
    this.logger = options.logger;
    this.state = { state: 'starting', endpoint: this.endpoint };
  }

  get device(): string {
    return this.options.device;
  }

  get endpoint(): string {
    return `sane:${this.options.device}`;
  }

  health(): DeviceHealth {
    return this.state;
  }

  /** Probes the device (never throws: a kiosk starts without its scanner and reports it). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.probe();
  }

  /** Cancels a running scan, waits for it, then releases the simulator if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    const active = this.active;
    if (active) {
      this.requestStop(active, 'cancel');
      await active.finished.catch(() => undefined);
    }
    this.options.onStopped?.();
  }

  /** Whether a scan is running (a second one would be refused as busy). */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Lists the devices SANE sees with this scanner's config dir (`scanimage -f`). */
  discover(): Promise<DiscoveredDevice[]> {
    return discoverScanners({ ...this.options, spawn: this.spawnFn, command: this.command });
  }

  /**
   * Opens the device and reads its options (`scanimage -d DEV -A`); sets health.
   * Returns the capabilities, or the error that made the device unusable.
   */
  async probe(): Promise<DeviceCapabilities | ScanError> {
    const result = await this.runShort(['-d', this.options.device, '-A']);
    if (result instanceof ScanError) {
      this.capabilities = undefined;
      this.setHealth(
        result.code === 'no-scanner'
          ? { state: 'disconnected', reason: deviceReason('device.scannerDisconnected', { device: this.options.device, detail: result.detail }) }
          : { state: 'error', reason: deviceReason('device.scannerError', { detail: result.detail }) },
      );
      return result;
    }
    this.capabilities = parseCapabilities(result.stdout);
    this.setHealth({ state: 'ok' });
    return this.capabilities;
  }

  /**
   * Scans one page (flatbed) or every sheet in the feeder (adf). Resolves with
   * the pages in order; rejects with a ScanError. Temporary files are removed
   * on every path.
   */
  async scan(options: ScanOptions = {}, onProgress?: (progress: ScanProgress) => void): Promise<ScannedPage[]> {
    if (this.active) throw new ScanError('busy', 'another scan is running on this device');
    if (this.stopped) throw new ScanError('no-scanner', 'scanner has been stopped');
    let settle: () => void = () => undefined;
    const active: ActiveScan = { finished: new Promise<void>((resolve) => (settle = resolve)) };
    this.active = active;
    const started = Date.now();
    let jobDir: string | undefined;
    try {
      const scan = resolveScanOptions(options);
      const capabilities = this.capabilities ?? (await this.probe());
      if (capabilities instanceof ScanError) throw capabilities;
      jobDir = await mkdtemp(join(this.options.tempRoot ?? tmpdir(), SCAN_DIR_PREFIX));
      const args = buildScanArgs(this.options.device, scan, capabilities, jobDir, this.options.extraArgs ?? []);
      const outcome = await this.runScan(active, args, onProgress);
      const failure = classifyFinishedScan({ ...outcome.exit, messages: outcome.messages, ...(outcome.exit.stoppedBecause === undefined ? {} : { stoppedBecause: outcome.exit.stoppedBecause }) });
      // With --batch-count, a feeder that empties before the count ends the
      // batch with exit 7 although the pages so far are complete; readPages
      // still fails with no-documents when not one page was written.
      const feederEmptied = failure?.code === 'no-documents' && scan.source === 'adf';
      if (failure && !feederEmptied) throw failure;
      const pages = await readPages(jobDir, scan.source === 'adf', scan.resolution, outcome.adjustments, outcome.messages);
      this.logger.info({ device: this.options.device, pages: pages.length, ms: Date.now() - started, adjustments: outcome.adjustments }, 'scan finished');
      this.setHealth({ state: 'ok' });
      return pages;
    } catch (error) {
      const scanError = error instanceof ScanError ? error : new ScanError('io-error', error instanceof Error ? error.message : String(error));
      this.logger.warn({ device: this.options.device, code: scanError.code, detail: scanError.detail, ms: Date.now() - started }, 'scan failed');
      await this.afterFailure(scanError);
      throw scanError;
    } finally {
      if (jobDir !== undefined) await rm(jobDir, { recursive: true, force: true });
      this.active = undefined;
      settle();
    }
  }

  /** Cancels the running scan (SIGINT, then SIGKILL after the grace period); resolves once it has ended. No-op when idle. */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.requestStop(active, 'cancel');
    await active.finished;
  }

  private requestStop(active: ActiveScan, reason: StopReason): void {
    active.stopRequested ??= reason;
    active.process?.stop(reason);
  }

  private async runScan(active: ActiveScan, args: string[], onProgress?: (progress: ScanProgress) => void): Promise<{ exit: ProcessExit; messages: string[]; adjustments: RoundedValue[] }> {
    if (active.stopRequested) throw new ScanError(active.stopRequested === 'timeout' ? 'timeout' : 'cancelled', 'stopped before scanimage started');
    let stuckTimer: NodeJS.Timeout | undefined;
    const parser = new StderrParser();
    const messages: string[] = [];
    const adjustments: RoundedValue[] = [];
    const pageTimeoutMs = this.options.pageTimeoutMs ?? 60_000;
    let page = 1;
    let watchdog: NodeJS.Timeout | undefined;
    const armWatchdog = (): void => {
      if (watchdog !== undefined) clearTimeout(watchdog);
      watchdog = setTimeout(() => this.requestStop(active, 'timeout'), pageTimeoutMs);
    };
    const handle = (event: StderrEvent): void => {
      switch (event.kind) {
        case 'progress':
          running.markScanning(); // declared below; stderr only arrives after it is set
          onProgress?.({ page, percent: event.percent });
          break;
        case 'page-start':
          page = event.page;
          armWatchdog();
          break;
        case 'rounded':
          adjustments.push(event.value);
          break;
        case 'message':
          if (messages.length < MAX_KEPT_MESSAGES) messages.push(event.text);
          if (stuckTimer === undefined && statusFromMessages([event.text]) !== undefined) {
            stuckTimer = setTimeout(() => this.requestStop(active, 'stuck'), EXIT_AFTER_FAILURE_MS);
          }
          break;
      }
    };
    this.logger.debug({ command: this.command, args }, 'scanimage start');
    const running = runProcess({
      spawn: this.spawnFn,
      dieWithParent: this.spawnFn === nodeSpawn,
      command: this.command,
      args,
      env: this.childEnv(),
      graceMs: this.options.cancelGraceMs ?? 5_000,
      onStderr: (chunk) => parser.feed(chunk).forEach(handle),
    });
    active.process = running;
    armWatchdog();
    try {
      const exit = await running.exited;
      parser.end().forEach(handle);
      if (exit.spawnError) throw spawnFailure(this.command, exit.spawnError);
      return { exit, messages, adjustments };
    } finally {
      clearTimeout(watchdog);
      clearTimeout(stuckTimer);
    }
  }

  /** After a device fault, check the device still opens (spec §6 step 6); paper faults only mark it degraded. */
  private async afterFailure(error: ScanError): Promise<void> {
    if (DEVICE_FAULT_CODES.has(error.code)) {
      if (!this.stopped) await this.probe();
    } else if (error.code === 'jammed' || error.code === 'cover-open') {
      this.setHealth({ state: 'degraded', reason: deviceReason(error.code === 'jammed' ? 'device.scannerJammed' : 'device.scannerCoverOpen', {}) });
    }
  }

  private async runShort(args: string[]): Promise<ProcessExit | ScanError> {
    return runShortCommand({ ...this.options, spawn: this.spawnFn, command: this.command }, args);
  }

  private childEnv(): NodeJS.ProcessEnv {
    return scanimageEnv(this.options.saneConfigDir);
  }

  private setHealth(health: Omit<DeviceHealth, 'endpoint'>): void {
    const next: DeviceHealth = { ...health, endpoint: this.endpoint };
    if (next.state === this.state.state && sameDeviceReason(next.reason, this.state.reason)) return;
    this.state = next;
    this.logger.info({ device: this.options.device, health: next }, 'scanner health');
    this.events.emit('health', next);
  }
}

/** LC_ALL=C keeps scanimage's messages in English for the parsers; SANE_CONFIG_DIR selects the backends. */
export function scanimageEnv(saneConfigDir: string | undefined): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', ...(saneConfigDir === undefined ? {} : { SANE_CONFIG_DIR: saneConfigDir }) };
}

interface ShortCommandOptions {
  saneConfigDir?: string;
  probeTimeoutMs?: number;
  cancelGraceMs?: number;
  command: string;
  spawn: SpawnFn;
}

async function runShortCommand(options: ShortCommandOptions, args: string[]): Promise<ProcessExit | ScanError> {
  const messages: string[] = [];
  const parser = new StderrParser();
  const keep = (event: StderrEvent): void => {
    if (event.kind === 'message' && messages.length < MAX_KEPT_MESSAGES) messages.push(event.text);
  };
  const child = runProcess({
    spawn: options.spawn,
    dieWithParent: options.spawn === nodeSpawn,
    command: options.command,
    args,
    env: scanimageEnv(options.saneConfigDir),
    graceMs: options.cancelGraceMs ?? 5_000,
    onStderr: (chunk) => parser.feed(chunk).forEach(keep),
  });
  const timer = setTimeout(() => child.stop('timeout'), options.probeTimeoutMs ?? 15_000);
  const exit = await child.exited.finally(() => clearTimeout(timer));
  parser.end().forEach(keep);
  if (exit.spawnError) return spawnFailure(options.command, exit.spawnError);
  return classifyFinishedScan({ ...exit, messages }) ?? exit;
}

/** Lists devices (`scanimage -f '%d|%v|%m|%t|%i%n'`). Slow with the full default backend list (≈3 s): do it at install/maintenance time. */
export async function discoverScanners(options: Omit<ShortCommandOptions, 'command' | 'spawn'> & { command?: string; spawn?: SpawnFn }): Promise<DiscoveredDevice[]> {
  const result = await runShortCommand({ ...options, command: options.command ?? 'scanimage', spawn: options.spawn ?? (nodeSpawn as SpawnFn) }, ['-f', DEVICE_LIST_FORMAT]);
  if (result instanceof ScanError) throw result;
  return parseDeviceList(result.stdout);
}

function spawnFailure(command: string, error: NodeJS.ErrnoException): ScanError {
  return new ScanError('no-scanner', error.code === 'ENOENT' ? `${command} is not installed (package sane-utils)` : `cannot start ${command}: ${error.message}`);
}

/**
 * Collects the written pages in feed order. A page counts only if its file is
 * non-empty and has a PNG/JPEG/TIFF header. Batch messages are not trusted
 * (an empty feeder ends a batch with exit 0 and "1 page scanned", spec §5).
 */
async function readPages(jobDir: string, fromFeeder: boolean, resolution: number, adjustments: RoundedValue[], messages: readonly string[]): Promise<ScannedPage[]> {
  const numbered = (await readdir(jobDir))
    .map((name) => ({ name, page: pageNumberOfFile(name) }))
    .filter((entry): entry is { name: string; page: number } => entry.page !== null)
    .sort((a, b) => a.page - b.page);
  if (numbered.length === 0) {
    throw new ScanError(statusFromMessages(messages) ?? (fromFeeder ? 'no-documents' : 'io-error'), `no page file written; ${messages.slice(-3).join(' | ')}`);
  }
  const pages: ScannedPage[] = [];
  for (const [position, entry] of numbered.entries()) {
    const data = await readFile(join(jobDir, entry.name));
    const format = detectImageFormat(data);
    if (data.length === 0 || format === null) throw new ScanError('io-error', `page file ${entry.name} is ${data.length === 0 ? 'empty' : 'not an image'}`);
    pages.push({ index: position + 1, format, data, resolution, adjustments });
  }
  return pages;
}
