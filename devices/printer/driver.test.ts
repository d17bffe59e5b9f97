import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device.js';
import { ReceiptPrinter } from './driver.js';
import { createReceiptPrinter, parsePrinterEndpoint } from './factory.js';
import { queueTicketDoc } from './layouts.js';
import { decodeEscPos } from './sim/decoder.js';
import { PrinterSimulator } from './sim/simulator.js';
import { deviceFileTransport, serialTransport, tcpTransport } from './transport.js';

const TICKET = queueTicketDoc({
  hallName: '某某市政务服务中心',
  number: 'B105',
  categoryName: '不动产登记',
  floor: 2,
  windows: ['12', '13'],
  peopleAhead: 7,
  etaMinutes: 25,
  qrUrl: 'https://example.com/t/B105',
  issuedAt: new Date('2026-11-24T02:00:00Z'),
});

let outDir: string;
let sim: PrinterSimulator;

function printerFor(simulator: PrinterSimulator, options: { statusTimeoutMs?: number; jobTimeoutMs?: number } = {}): ReceiptPrinter {
  return new ReceiptPrinter({ transport: tcpTransport('127.0.0.1', simulator.port), paperWidthChars: 48, statusTimeoutMs: 5000, jobTimeoutMs: 10_000, ...options });
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'printer-sim-'));
  sim = new PrinterSimulator({ outDir, paperWidthChars: 48 });
  await sim.start();
});

afterEach(() => sim.reset());

afterAll(async () => {
  await sim.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('ReceiptPrinter over TCP against the simulator', () => {
  it('prints a ticket the simulator decodes: number, windows, QR payload, cut', async () => {
    const printer = printerFor(sim);
    const result = await printer.print(TICKET);
    expect(result).toEqual({ printed: true });
    const job = await sim.waitForJob();
    expect(job.complete).toBe(true);
    expect(job.text).toContain('[C 2x2 B] B105');
    expect(job.text).toContain('2楼 12、13号窗口');
    expect(job.text).toContain('[QR: https://example.com/t/B105]');
    expect(job.text).toContain('--- cut ---');
    expect(job.issues).toEqual([]);
    expect(typeof job.cutAt).toBe('number');
    expect(job.cutAt).toBeGreaterThanOrEqual(job.startedAt);
    expect(printer.health().state).toBe('ok');
    // Status asked before the job, completion asked after it, on the same link.
    expect(sim.statusQueries().map((q) => `${q.command} ${q.n}`)).toEqual(['DLE EOT 1', 'DLE EOT 2', 'DLE EOT 4', 'GS r 1']);
  });

  it('writes job-NNNN.txt/.png/.bin with a plausible picture of the ticket', async () => {
    await printerFor(sim).print(TICKET);
    const job = await sim.waitForJob();
    expect(job.files).toBeDefined();
    const files = job.files ?? { txt: '', png: '', bin: '' };
    expect(files.png).toMatch(/job-\d{4}\.png$/);
    expect(await readFile(files.txt, 'utf8')).toBe(job.text);
    expect(decodeEscPos(await readFile(files.bin)).items).toEqual(job.items);
    const png = PNG.sync.read(await readFile(files.png));
    expect(png.width).toBe(48 * 12 + 32);
    expect(png.height).toBeGreaterThan(400);
    expect(png.height).toBeLessThan(2000);
    // Some ink (the QR code alone is thousands of black pixels).
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if ((png.data[i] ?? 255) < 80) dark++;
    expect(dark).toBeGreaterThan(2000);
  });

  it.each([
    [{ paperOut: true }, 'paper_out', '打印机缺纸'],
    [{ coverOpen: true }, 'cover_open', '打印机上盖未关闭'],
    [{ offline: true }, 'offline', '打印机离线'],
    [{ cutterError: true }, 'cutter_error', '打印机切刀故障'],
  ] as const)('refuses the job when %o and reports %s', async (state, reason, message) => {
    sim.setState(state);
    const printer = printerFor(sim);
    const health: DeviceHealth[] = [];
    printer.events.on('health', (h) => health.push(h));
    const result = await printer.print(TICKET);
    expect(result).toEqual({ printed: false, reason, message });
    expect(printer.health()).toMatchObject({ state: 'error', reason: { code: 'device.printerFault', params: { reason } }, endpoint: sim.url });
    expect(health.at(-1)?.state).toBe('error');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.jobs()).toEqual([]);
  });

  it('prints with a warning when paper is near its end, and health is degraded', async () => {
    sim.setState({ paperNearEnd: true });
    const printer = printerFor(sim);
    const result = await printer.print(TICKET);
    expect(result).toEqual({ printed: true, warning: { reason: 'paper_near_end', message: '打印纸即将用完' } });
    expect(printer.health()).toMatchObject({ state: 'degraded', reason: { code: 'device.printerPaperNearEnd', params: {} } });
    expect((await sim.waitForJob()).complete).toBe(true);
  });

  it('recovers health when the fault is cleared', async () => {
    const printer = printerFor(sim);
    sim.setState({ paperOut: true });
    expect(await printer.checkStatus()).toMatchObject({ ok: false, reason: 'paper_out' });
    sim.setState({ paperOut: false });
    expect(await printer.checkStatus()).toEqual({ ok: true, paperNearEnd: false, statusReadable: true });
    expect(printer.health().state).toBe('ok');
  });

  it('notices a fault between jobs when polling', async () => {
    const printer = new ReceiptPrinter({ transport: tcpTransport('127.0.0.1', sim.port), pollIntervalMs: 50 });
    await printer.start();
    expect(printer.health().state).toBe('ok');
    const error = new Promise<DeviceHealth>((resolve) => printer.events.on('health', (h) => h.state === 'error' && resolve(h)));
    sim.setState({ paperOut: true });
    expect(await error).toMatchObject({ state: 'error', reason: { code: 'device.printerFault', params: { reason: 'paper_out' } } });
    await printer.stop();
  });

  it('returns a clear result when the printer drops the connection mid-ticket', async () => {
    sim.failNextJob('drop-mid-job');
    const printer = printerFor(sim);
    const result = await printer.print(TICKET);
    expect(result).toMatchObject({ printed: false, reason: 'disconnected' });
    expect(printer.health().state).toBe('disconnected');
    const job = await sim.waitForJob();
    expect(job.endedBy).toBe('dropped');
    expect(job.complete).toBe(false);
    // The next ticket goes through again.
    expect(await printer.print(TICKET)).toEqual({ printed: true });
    expect(printer.health().state).toBe('ok');
  });

  it('times out on a printer that accepts the connection but never answers', async () => {
    sim.setState({ unresponsive: true });
    const printer = printerFor(sim, { statusTimeoutMs: 300 });
    const result = await printer.print(TICKET);
    expect(result).toEqual({ printed: false, reason: 'timeout', message: '打印机无响应' });
    expect(printer.health().state).toBe('disconnected');
  });

  it('sends blind with readStatus off (a one-way network board)', async () => {
    sim.setState({ unresponsive: true });
    const printer = new ReceiptPrinter({ transport: tcpTransport('127.0.0.1', sim.port), readStatus: false });
    expect(await printer.print(TICKET)).toEqual({ printed: true });
    expect((await sim.waitForJob()).complete).toBe(true);
    expect(sim.statusQueries()).toEqual([]);
    expect(printer.health()).toMatchObject({ state: 'ok', reason: { code: 'device.printerBlindLink', params: {} } });
  });

  it('reports unreachable when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const printer = new ReceiptPrinter({ transport: tcpTransport('127.0.0.1', port) });
    await printer.start();
    expect(printer.health()).toMatchObject({ state: 'disconnected', reason: { code: 'device.printerFault', params: { reason: 'unreachable' } }, endpoint: `tcp://127.0.0.1:${port}` });
    expect(await printer.print(TICKET)).toEqual({ printed: false, reason: 'unreachable', message: '无法连接打印机' });
    await printer.stop();
    expect(await printer.print(TICKET)).toMatchObject({ printed: false, reason: 'stopped' });
  });

  it('ignores Automatic Status Back blocks interleaved with the replies it asked for', async () => {
    // A printer with ASB switched on: every reply is preceded by a 4-byte ASB
    // block whose trailing 00 bytes look like GS r "paper OK" replies.
    const fake = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] === 0x10 && chunk[i + 1] === 0x04) socket.write(Buffer.from([0x10, 0x00, 0x00, 0x00, 0x12]));
          if (chunk[i] === 0x1d && chunk[i + 1] === 0x72) socket.write(Buffer.from([0x10, 0x00, 0x00, 0x00, 0x03]));
        }
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const address = fake.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const result = await new ReceiptPrinter({ transport: tcpTransport('127.0.0.1', port) }).print(TICKET);
      // Only the GS r answer (0x03) says near end; taking an ASB 00 for it would lose the warning.
      expect(result).toEqual({ printed: true, warning: { reason: 'paper_near_end', message: '打印纸即将用完' } });
    } finally {
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it('refuses an invalid document without touching the printer', async () => {
    const result = await printerFor(sim).print([{ kind: 'qr', data: '' }]);
    expect(result).toMatchObject({ printed: false, reason: 'invalid_document' });
    expect(sim.statusQueries()).toEqual([]);
  });

  it('serialises concurrent prints so jobs never interleave', async () => {
    const printer = printerFor(sim);
    const docs = ['C001', 'C002', 'C003'].map((number) => queueTicketDoc({ ...TICKET_INPUT, number }));
    const results = await Promise.all(docs.map((doc) => printer.print(doc)));
    expect(results.every((r) => r.printed)).toBe(true);
    await sim.waitForJob((job) => job.text.includes('C003'));
    await sim.waitForJob((job) => job.text.includes('C001'));
    await sim.waitForJob((job) => job.text.includes('C002'));
    expect(sim.jobs().every((job) => job.complete && job.issues.length === 0)).toBe(true);
  });
});

const TICKET_INPUT = {
  hallName: '某某市政务服务中心',
  number: 'B105',
  categoryName: '不动产登记',
  floor: 2,
  windows: ['12'],
  peopleAhead: 0,
  etaMinutes: 1,
  qrUrl: 'https://example.com/t/B105',
  issuedAt: new Date('2026-11-24T02:00:00Z'),
};

describe('other links', () => {
  it('writes to a device file (usblp style), write-only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printer-dev-'));
    try {
      const path = join(dir, 'lp0');
      await writeFile(path, '');
      const printer = new ReceiptPrinter({ transport: deviceFileTransport(path), paperWidthChars: 32 });
      expect(await printer.print(TICKET)).toEqual({ printed: true });
      const decoded = decodeEscPos(await readFile(path));
      expect(decoded.items.some((item) => item.kind === 'text' && item.text === 'B105')).toBe(true);
      expect(printer.health()).toMatchObject({ state: 'ok', endpoint: path });
      // A missing device is unreachable, not a new regular file.
      const missing = new ReceiptPrinter({ transport: deviceFileTransport(join(dir, 'lp9')) });
      expect(await missing.print(TICKET)).toMatchObject({ printed: false, reason: 'unreachable' });
      expect(existsSync(join(dir, 'lp9'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('serial port (pty bridged to the simulator by socat)', () => {
    let socat: ChildProcess | undefined;
    let dir: string;

    afterAll(async () => {
      socat?.kill();
      await rm(dir, { recursive: true, force: true });
    });

    it('asks status and prints over a tty', async () => {
      dir = await mkdtemp(join(tmpdir(), 'printer-pty-'));
      const ptyPath = join(dir, 'ttyPRN');
      socat = spawn('socat', [`pty,link=${ptyPath},raw,echo=0,ignoreeof`, `tcp:127.0.0.1:${sim.port}`], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !existsSync(ptyPath); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const parsed = parsePrinterEndpoint(`serial:${ptyPath}?baud=19200`);
      expect(parsed).toEqual({ ok: true, config: { kind: 'serial', path: ptyPath, baudRate: 19200 } });
      const printer = new ReceiptPrinter({ transport: serialTransport(ptyPath, 19200), statusTimeoutMs: 5000 });
      sim.setState({ coverOpen: true });
      expect(await printer.print(TICKET)).toMatchObject({ printed: false, reason: 'cover_open' });
      sim.setState({ coverOpen: false });
      expect(await printer.print(TICKET)).toEqual({ printed: true });
      const job = await sim.waitForJob();
      expect(job.text).toContain('B105');
      expect(printer.endpoint).toBe(`serial:${ptyPath}?baud=19200`);
    });
  });
});

describe('createReceiptPrinter', () => {
  it('starts a simulator for kind "simulator" and prints to it', async () => {
    const { printer, simulator, dispose } = await createReceiptPrinter({ kind: 'simulator', paper: '58mm' }, pino({ level: 'silent' }));
    try {
      expect(simulator).not.toBeNull();
      await printer.start();
      expect(printer.health().state).toBe('ok');
      expect(await printer.print(TICKET)).toEqual({ printed: true });
      const job = await simulator?.waitForJob();
      expect(job?.items.some((item) => item.kind === 'text' && item.text === '-'.repeat(32))).toBe(true);
    } finally {
      await dispose();
    }
    expect(printer.health().state).toBe('disconnected');
  });

  it('parses endpoint strings and rejects nonsense', () => {
    expect(parsePrinterEndpoint('tcp://192.168.1.50')).toEqual({ ok: true, config: { kind: 'tcp', url: 'tcp://192.168.1.50' } });
    expect(parsePrinterEndpoint('/dev/usb/lp0')).toEqual({ ok: true, config: { kind: 'device', path: '/dev/usb/lp0' } });
    expect(parsePrinterEndpoint('serial:/dev/ttyUSB0')).toEqual({ ok: true, config: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200 } });
    expect(parsePrinterEndpoint('tcp://:99999')).toMatchObject({ ok: false });
    expect(parsePrinterEndpoint('lp0')).toMatchObject({ ok: false });
  });
});
