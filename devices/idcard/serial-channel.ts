/** ByteChannel over a serial port (USB-serial bridge or UART), 8N1, no flow control. */
import { SerialPort } from 'serialport';
import { ChannelSignals } from './channel.js';
import type { ByteChannel } from './channel.js';
import type { Unsubscribe } from '../device.js';

export interface SerialChannelOptions {
  path: string;
  /** 115200 unless the module was reconfigured (spec §1). */
  baudRate?: number;
}

export const DEFAULT_BAUD_RATE = 115200;

export class SerialChannel implements ByteChannel {
  readonly endpoint: string;
  readonly baudRate: number;
  private readonly signals = new ChannelSignals();
  private port: SerialPort | undefined;
  private closeRequested = false;

  constructor(private readonly options: SerialChannelOptions) {
    this.baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.endpoint = `serial:${options.path}@${this.baudRate}`;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.options.path, baudRate: this.baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, autoOpen: false });
      port.open((error) => {
        if (error) {
          reject(error);
          return;
        }
        if (this.closeRequested) {
          // close() came while the port was opening (driver stopped): do not leak it.
          port.close(() => reject(new Error('closed while opening')));
          return;
        }
        this.port = port;
        port.on('data', (bytes: Buffer) => this.signals.data(bytes));
        port.on('close', (err: Error | null) => this.signals.close(err ? err.message : 'closed'));
        // Write/read errors (EIO when the device vanishes) end the channel; serialport then also closes.
        port.on('error', (err: Error) => this.signals.close(err.message));
        resolve();
      });
    });
  }

  write(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error('serial port is not open'));
    return new Promise((resolve, reject) => {
      port.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  discardInput(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      // A failed flush is harmless: the frame parser drops stale bytes anyway.
      port.flush(() => resolve());
    });
  }

  onData(listener: (bytes: Buffer) => void): Unsubscribe {
    return this.signals.onData(listener);
  }

  onClose(listener: (reason: string) => void): Unsubscribe {
    return this.signals.onClose(listener);
  }

  close(): Promise<void> {
    this.closeRequested = true;
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) {
      this.signals.close('closed');
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      port.close(() => {
        this.signals.close('closed');
        resolve();
      });
    });
  }
}
