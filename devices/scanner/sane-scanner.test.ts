import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device.js';
import { ScanError, SaneScanner, createScanner, createTestBackend, normalise } from './index.js';
import type { SaneScannerOptions, ScanErrorCode, ScanProgress, TestBackend } from './index.js';
import type { SpawnFn } from './process.js';

// These tests run the real scanimage against SANE's `test` backend (spec §2,
// §4–§6) through a private SANE_CONFIG_DIR.
const logger = pino({ level: 'silent' });
/** A scan that takes minutes: 300 dpi A4 colour, read in tiny delayed chunks (spec §6). */
const SLOW = ['--read-limit=yes', '--read-limit-size=1', '--read-delay=yes', '--read-delay-duration=200000'];

let backend: TestBackend;
let tempRoot: string;
const scanners: SaneScanner[] = [];

beforeAll(() => {
  backend = createTestBackend();
  tempRoot = mkdtempSync(join(tmpdir(), 'liuliu-scan-test-'));
});

afterAll(() => {
  backend.dispose();
  rmSync(tempRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(scanners.splice(0).map((scanner) => scanner.stop()));
  // Every path, success or failure, must have removed its job directory.
  expect(readdirSync(tempRoot)).toEqual([]);
});

function scannerFor(options: Partial<SaneScannerOptions> = {}): SaneScanner {
  const scanner = new SaneScanner({ device: 'test:0', saneConfigDir: backend.configDir, tempRoot, logger, extraArgs: ['--test-picture', 'Color pattern'], ...options });
  scanners.push(scanner);
  return scanner;
}

async function scanError(promise: Promise<unknown>): Promise<ScanError> {
  const error = await promise.then(
    () => new Error('scan unexpectedly succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ScanError);
  return error as ScanError;
}

/** A spawn that remembers its children, so a test can find the running scanimage. */
function recordingSpawn(children: ChildProcess[]): SpawnFn {
  return (command, args, options) => {
    const child = spawn(command, args, options);
    children.push(child);
    return child;
  };
}

/** Progress callback plus a promise for the first progress line: the scan is then under way. */
function progressWatch(): { events: ScanProgress[]; onProgress: (event: ScanProgress) => void; started: Promise<void> } {
  const events: ScanProgress[] = [];
  let resolveStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (resolveStarted = resolve));
  return {
    events,
    started,
    onProgress: (event) => {
      events.push(event);
      resolveStarted();
    },
  };
}

describe('discovery and health', () => {
  it('lists the virtual devices of the private config', async () => {
    const devices = await scannerFor().discover();
    expect(devices.map((device) => device.name)).toEqual(['test:0', 'test:1']);
    expect(devices[0]).toMatchObject({ vendor: 'Noname', model: 'frontend-tester', index: 0 });
  });

  it('reports ok after start, and disconnected for a device that does not exist', async () => {
    const ok = scannerFor();
    await ok.start();
    expect(ok.health()).toEqual({ state: 'ok', endpoint: 'sane:test:0' });

    const missing = scannerFor({ device: 'nosuch:0' });
    const seen: DeviceHealth[] = [];
    missing.events.on('health', (health) => seen.push(health));
    await missing.start();
    expect(missing.health().state).toBe('disconnected');
    expect(seen.map((health) => health.state)).toEqual(['disconnected']);
    const error = await scanError(missing.scan({ resolution: 50 }));
    expect(error.code).toBe('no-scanner');
    expect(error.userMessage).toBe('未检测到扫描仪，请联系工作人员');
  });

  it('reports a missing scanimage binary as no scanner, without throwing from start', async () => {
    const scanner = scannerFor({ command: join(tempRoot, 'no-such-scanimage') });
    await scanner.start();
    expect(scanner.health().state).toBe('disconnected');
    expect(scanner.health().reason).toMatchObject({ code: 'device.scannerDisconnected', params: { detail: expect.stringContaining('not installed') } });
    expect((await scanError(scanner.scan())).code).toBe('no-scanner');
  });
});

describe('scanning', () => {
  it('scans one A4 page at 300 dpi in colour, reports progress, and normalises it', async () => {
    const scanner = scannerFor();
    const progress: ScanProgress[] = [];
    const pages = await scanner.scan({ resolution: 300, mode: 'Color' }, (event) => progress.push(event));
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page?.format).toBe('png');
    expect(page?.adjustments).toEqual([]);
    const raw = await sharp(page?.data).metadata();
    expect(raw.width).toBe(2480); // 210 mm at 300 dpi
    expect(raw.height).toBeGreaterThanOrEqual(3507); // 297 mm at 300 dpi
    expect(raw.channels).toBe(3);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ page: 1, percent: 100 });

    if (!page) throw new Error('no page');
    const normalised = await normalise(page);
    expect(Math.max(normalised.width, normalised.height)).toBe(2480);
    expect(normalised.width).toBeLessThan(normalised.height);
    const jpeg = await sharp(normalised.jpeg).metadata();
    expect(jpeg.format).toBe('jpeg');
    expect([jpeg.width, jpeg.height]).toEqual([normalised.width, normalised.height]);
    const preview = await sharp(normalised.preview).metadata();
    expect(preview.format).toBe('jpeg');
    expect(Math.max(preview.width ?? 0, preview.height ?? 0)).toBe(600);
  });

  it('scans in Gray and in Lineart (Gray + depth 1 on the test backend)', async () => {
    const scanner = scannerFor();
    const [gray] = await scanner.scan({ resolution: 100, mode: 'Gray' });
    const grayMeta = await sharp(gray?.data).metadata();
    expect(grayMeta.channels).toBe(1);
    expect(grayMeta.depth).toBe('uchar');
    const [lineart] = await scanner.scan({ resolution: 100, mode: 'Lineart' });
    expect(lineart?.format).toBe('png');
    const lineartInfo = await sharp(lineart?.data).metadata();
    expect(lineartInfo.channels).toBe(1);
    expect(lineartInfo.bitsPerSample).toBe(1);
    expect((await normalise(lineart?.data ?? Buffer.alloc(0))).jpeg.length).toBeGreaterThan(0);
  });

  it('scans a 3-page batch from the feeder, in order', async () => {
    const scanner = scannerFor();
    const progress: ScanProgress[] = [];
    const pages = await scanner.scan({ source: 'adf', maxPages: 3, resolution: 100, mode: 'Gray' }, (event) => progress.push(event));
    expect(pages.map((page) => page.index)).toEqual([1, 2, 3]);
    for (const page of pages) expect((await sharp(page.data).metadata()).format).toBe('png');
    expect(new Set(progress.map((event) => event.page))).toEqual(new Set([1, 2, 3]));
  });

  it('counts the files of a batch that ends with an empty feeder (the test ADF holds 10 sheets)', async () => {
    // scanimage exits 7 here (feeder empty before --batch-count); the 10 written pages are the result.
    const pages = await scannerFor().scan({ source: 'adf', resolution: 50, mode: 'Gray', format: 'jpeg' });
    expect(pages).toHaveLength(10);
    expect(pages.every((page) => page.format === 'jpeg')).toBe(true);
  });

  it('reports clamped geometry when A4 does not fit the scan area', async () => {
    const small = createTestBackend({ maxAreaMm: 200 });
    try {
      const [page] = await scannerFor({ saneConfigDir: small.configDir }).scan({ resolution: 50 });
      expect(page?.adjustments).toEqual([
        { option: 'br-x', from: 210, to: 200 },
        { option: 'br-y', from: 297, to: 200 },
      ]);
    } finally {
      small.dispose();
    }
  });
});

describe('faults from the test backend', () => {
  const faults: Array<[string, ScanErrorCode]> = [
    ['SANE_STATUS_JAMMED', 'jammed'],
    ['SANE_STATUS_COVER_OPEN', 'cover-open'],
    ['SANE_STATUS_NO_DOCS', 'no-documents'],
    ['SANE_STATUS_DEVICE_BUSY', 'busy'],
    ['SANE_STATUS_IO_ERROR', 'io-error'],
    ['SANE_STATUS_NO_MEM', 'io-error'],
    ['SANE_STATUS_ACCESS_DENIED', 'access-denied'],
    ['SANE_STATUS_CANCELLED', 'cancelled'],
    ['SANE_STATUS_INVAL', 'invalid-options'],
    ['SANE_STATUS_UNSUPPORTED', 'io-error'],
  ];

  it.each(faults)('%s → %s', async (status, code) => {
    const scanner = scannerFor({ extraArgs: ['--read-return-value', status] });
    const error = await scanError(scanner.scan({ resolution: 50 }));
    expect(error.code).toBe(code);
    expect(error.userMessage.length).toBeGreaterThan(0);
  });

  it('marks the device degraded after a jam in a feeder batch, and ok again after a good scan', async () => {
    const scanner = scannerFor({ extraArgs: ['--read-return-value', 'SANE_STATUS_JAMMED'] });
    await scanner.start();
    expect((await scanError(scanner.scan({ source: 'adf', maxPages: 3, resolution: 50 }))).code).toBe('jammed');
    expect(scanner.health()).toMatchObject({ state: 'degraded', reason: { code: 'device.scannerJammed', params: {} } });
  });

  it('rejects an option the backend does not know as invalid-options', async () => {
    const error = await scanError(scannerFor({ extraArgs: ['--no-such-option', 'x'] }).scan({ resolution: 50 }));
    expect(error.code).toBe('invalid-options');
  });
});

describe('timeout, cancel, busy, disappearing device', () => {
  it('cancels a page that exceeds the watchdog and leaves no files', async () => {
    const scanner = scannerFor({ extraArgs: SLOW, pageTimeoutMs: 1_500, cancelGraceMs: 3_000 });
    const started = Date.now();
    const error = await scanError(scanner.scan({ resolution: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.userMessage).toBe('扫描超时，请重试或联系工作人员');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(scanner.busy).toBe(false);
    // The device still opens after the stop, so it is healthy.
    expect(scanner.health().state).toBe('ok');
  });

  it('cancels a running scan on request with SIGINT', async () => {
    const children: ChildProcess[] = [];
    const scanner = scannerFor({ extraArgs: SLOW, spawn: recordingSpawn(children) });
    const progress = progressWatch();
    const scanning = scanError(scanner.scan({ resolution: 300 }, progress.onProgress));
    await progress.started;
    await scanner.cancel();
    const error = await scanning;
    expect(error.code).toBe('cancelled');
    expect(error.userMessage).toBe('扫描已取消');
    const child = children.at(-1); // the first child was the -A probe
    expect(children).toHaveLength(2);
    expect(child?.signalCode).toBeNull(); // exited by itself after SIGINT, not killed
    expect(progress.events.at(-1)?.percent).toBeLessThan(100);
  });

  it('refuses a second scan while one is running', async () => {
    const scanner = scannerFor({ extraArgs: SLOW });
    const progress = progressWatch();
    const first = scanError(scanner.scan({ resolution: 300 }, progress.onProgress));
    await progress.started;
    const second = await scanError(scanner.scan({ resolution: 50 }));
    expect(second.code).toBe('busy');
    expect(second.userMessage).toBe('扫描仪正忙，请稍后再试');
    await scanner.cancel();
    expect((await first).code).toBe('cancelled');
    // Free again afterwards (a small area: this scanner reads slowly).
    expect(await scanner.scan({ resolution: 50, area: { widthMm: 20, heightMm: 20 } })).toHaveLength(1);
  });

  it('reports a scanner that vanishes mid-scan: the scan fails, health turns disconnected, the next scan finds no scanner', async () => {
    // Simulation: the device test:1 disappears from the backend config (as a
    // replugged USB scanner gets a new name) and the running scanimage dies
    // abruptly, as it does when its USB device is pulled.
    const vanishing = createTestBackend({ devices: 2 });
    try {
      const children: ChildProcess[] = [];
      const scanner = scannerFor({ device: 'test:1', saneConfigDir: vanishing.configDir, extraArgs: SLOW, spawn: recordingSpawn(children) });
      await scanner.start();
      const progress = progressWatch();
      const scanning = scanError(scanner.scan({ resolution: 300 }, progress.onProgress));
      await progress.started;
      vanishing.setDeviceCount(1);
      children.at(-1)?.kill('SIGKILL');
      const error = await scanning;
      expect(error.code).toBe('io-error');
      expect(error.userMessage).toBe('扫描仪故障，请联系工作人员');
      expect(scanner.health()).toMatchObject({ state: 'disconnected', reason: { code: 'device.scannerDisconnected', params: { device: expect.stringContaining('test:1') } } });
      expect((await scanError(scanner.scan({ resolution: 50 }))).code).toBe('no-scanner');
    } finally {
      vanishing.dispose();
    }
  });
});

describe('createScanner', () => {
  it('builds a simulator with its own SANE config that goes away on stop', async () => {
    const scanner = createScanner({ kind: 'simulator', tempRoot }, logger);
    await scanner.start();
    expect(scanner.health().state).toBe('ok');
    expect(scanner.device).toBe('test:0');
    const [page] = await scanner.scan({ resolution: 75, source: 'flatbed' });
    expect(page?.format).toBe('png');
    await scanner.stop();
    const error = await scanError(scanner.scan());
    expect(error.code).toBe('no-scanner');
  });

  it('passes simulator faults through extraArgs', async () => {
    const scanner = createScanner({ kind: 'simulator', tempRoot, extraArgs: ['--read-return-value', 'SANE_STATUS_COVER_OPEN'] }, logger);
    scanners.push(scanner);
    expect((await scanError(scanner.scan({ resolution: 50 }))).code).toBe('cover-open');
  });
});
