/**
 * Wiring: printer config (or an endpoint string) → transport → ReceiptPrinter,
 * and for `simulator` a started PrinterSimulator on a random loopback port.
 */
import { z } from 'zod';
import { PAPER_WIDTH_CHARS } from './doc.js';
import { ReceiptPrinter } from './driver.js';
import type { PrinterLogger } from './logger.js';
import { PrinterSimulator } from './sim/simulator.js';
import { deviceFileTransport, serialTransport, tcpTransport } from './transport.js';
import type { PrinterTransport } from './transport.js';

export const DEFAULT_TCP_PORT = 9100;
export const DEFAULT_SERIAL_BAUD = 19200;

const commonFields = {
  paper: z.enum(['58mm', '80mm']).optional(),
  chineseMode: z.boolean().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
  statusTimeoutMs: z.number().int().positive().optional(),
  jobTimeoutMs: z.number().int().positive().optional(),
  pollIntervalMs: z.number().int().nonnegative().optional(),
  readStatus: z.boolean().optional(),
};

export const receiptPrinterConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tcp'), url: z.string().regex(/^tcp:\/\/[^/]+$/, 'expected tcp://host[:port]'), ...commonFields }).strict(),
  z.object({ kind: z.literal('device'), path: z.string().min(1), ...commonFields }).strict(),
  z.object({ kind: z.literal('serial'), path: z.string().min(1), baudRate: z.number().int().positive().default(DEFAULT_SERIAL_BAUD), ...commonFields }).strict(),
  /** Starts a PrinterSimulator on a random loopback port; outDir gets job-NNNN.txt/.png/.bin. */
  z.object({ kind: z.literal('simulator'), outDir: z.string().min(1).optional(), ...commonFields }).strict(),
]);
export type ReceiptPrinterConfig = z.input<typeof receiptPrinterConfigSchema>;

/**
 * One string for config files and CLIs:
 * `tcp://192.168.1.50[:9100]`, `serial:/dev/ttyUSB0?baud=19200`,
 * `/dev/usb/lp0` (any absolute path or `\\.\COM3` = device file), `simulator`.
 */
export function parsePrinterEndpoint(endpoint: string): { ok: true; config: ReceiptPrinterConfig } | { ok: false; error: string } {
  const text = endpoint.trim();
  if (text === 'simulator') return { ok: true, config: { kind: 'simulator' } };
  if (text.startsWith('tcp://')) {
    const parsed = parseTcpUrl(text);
    return 'error' in parsed ? { ok: false, error: parsed.error } : { ok: true, config: { kind: 'tcp', url: text } };
  }
  const serial = /^serial:([^?]+)(?:\?baud=(\d+))?$/.exec(text);
  if (serial !== null) {
    const baudRate = serial[2] === undefined ? DEFAULT_SERIAL_BAUD : Number(serial[2]);
    if (!(baudRate > 0)) return { ok: false, error: `bad baud rate in "${text}"` };
    return { ok: true, config: { kind: 'serial', path: serial[1] ?? '', baudRate } };
  }
  if (text.startsWith('/') || text.startsWith('\\\\.\\')) return { ok: true, config: { kind: 'device', path: text } };
  return { ok: false, error: `unrecognised printer endpoint "${text}" (expected tcp://host:port, serial:/dev/ttyX?baud=N, a device path or "simulator")` };
}

function parseTcpUrl(url: string): { host: string; port: number } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `bad printer URL "${url}"` };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? DEFAULT_TCP_PORT : Number(parsed.port);
  if (host === '' || !(port > 0 && port < 65536)) return { error: `bad printer URL "${url}"` };
  return { host, port };
}

export interface CreatedReceiptPrinter {
  printer: ReceiptPrinter;
  /** Present for `kind: 'simulator'`: jobs, setState, failNextJob… for tests and the developer panel. */
  simulator: PrinterSimulator | null;
  /** Stops the printer and, for the simulator, closes it. */
  dispose(): Promise<void>;
}

/**
 * Builds (does not start) the driver. Throws only on a config that fails
 * receiptPrinterConfigSchema — validate config files with it first.
 */
export async function createReceiptPrinter(config: ReceiptPrinterConfig, logger: PrinterLogger): Promise<CreatedReceiptPrinter> {
  const valid = receiptPrinterConfigSchema.parse(config);
  const paperWidthChars = PAPER_WIDTH_CHARS[valid.paper ?? '80mm'];
  let transport: PrinterTransport;
  let simulator: PrinterSimulator | null = null;
  switch (valid.kind) {
    case 'tcp': {
      const parsed = parseTcpUrl(valid.url);
      if ('error' in parsed) throw new Error(parsed.error);
      transport = tcpTransport(parsed.host, parsed.port);
      break;
    }
    case 'device':
      transport = deviceFileTransport(valid.path);
      break;
    case 'serial':
      transport = serialTransport(valid.path, valid.baudRate);
      break;
    case 'simulator':
      simulator = new PrinterSimulator({ paperWidthChars, logger, outDir: valid.outDir });
      await simulator.start();
      transport = tcpTransport('127.0.0.1', simulator.port);
      break;
  }
  const { chineseMode, connectTimeoutMs, statusTimeoutMs, jobTimeoutMs, pollIntervalMs, readStatus } = valid;
  const printer = new ReceiptPrinter({ transport, paperWidthChars, logger, chineseMode, connectTimeoutMs, statusTimeoutMs, jobTimeoutMs, pollIntervalMs, readStatus });
  const sim = simulator;
  const dispose = async (): Promise<void> => {
    await printer.stop();
    await sim?.close();
  };
  return { printer, simulator, dispose };
}
