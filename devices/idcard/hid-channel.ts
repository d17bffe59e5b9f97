/**
 * ByteChannel over USB-HID (node-hid), carrying the serial byte stream in
 * fixed-size reports as described in hid-report.ts.
 */
import HID from 'node-hid';
import { ChannelSignals } from './channel.js';
import type { ByteChannel } from './channel.js';
import { DEFAULT_HID_FRAMING, fromHidReport, toHidReports } from './hid-report.js';
import type { HidFraming } from './hid-report.js';
import type { Unsubscribe } from '../device.js';

export interface HidChannelOptions {
  vendorId: number;
  productId: number;
  /** hidraw path when several identical readers are attached; otherwise the first match. */
  path?: string;
  framing?: Partial<HidFraming>;
}

/** Full-speed USB moves a 64-byte report per 1 ms frame: faster than 115200 baud, so timeouts use that rate. */
const HID_EQUIVALENT_BAUD = 115200;

export class HidChannel implements ByteChannel {
  readonly endpoint: string;
  readonly baudRate = HID_EQUIVALENT_BAUD;
  private readonly framing: HidFraming;
  private readonly signals = new ChannelSignals();
  private device: HID.HIDAsync | undefined;

  constructor(private readonly options: HidChannelOptions) {
    this.framing = { ...DEFAULT_HID_FRAMING, ...options.framing };
    this.endpoint = `hid:${hex4(options.vendorId)}:${hex4(options.productId)}${options.path ? `@${options.path}` : ''}`;
  }

  async open(): Promise<void> {
    const device = this.options.path ? await HID.HIDAsync.open(this.options.path) : await HID.HIDAsync.open(this.options.vendorId, this.options.productId);
    this.device = device;
    device.on('data', (report: Buffer) => {
      const decoded = fromHidReport(report, this.framing);
      // Foreign or malformed reports are dropped; the frame parser resyncs on what follows.
      if (decoded.ok && decoded.payload.length > 0) this.signals.data(decoded.payload);
    });
    device.on('error', (error: Error) => {
      this.device = undefined;
      this.signals.close(error.message);
    });
  }

  async write(bytes: Buffer): Promise<void> {
    const device = this.device;
    if (!device) throw new Error('HID device is not open');
    for (const report of toHidReports(bytes, this.framing)) await device.write(report);
  }

  discardInput(): Promise<void> {
    // HID input reports are delivered as they come; nothing is buffered below us.
    return Promise.resolve();
  }

  onData(listener: (bytes: Buffer) => void): Unsubscribe {
    return this.signals.onData(listener);
  }

  onClose(listener: (reason: string) => void): Unsubscribe {
    return this.signals.onClose(listener);
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    if (device) await device.close().catch(() => undefined);
    this.signals.close('closed');
  }
}

function hex4(id: number): string {
  return `0x${id.toString(16).padStart(4, '0')}`;
}
