/**
 * The byte pipe between the driver and a reader. The driver speaks SAM frames
 * over any ByteChannel; serial-channel.ts and hid-channel.ts are the real
 * ones. A channel is single-use: the driver opens a fresh one per connection
 * attempt via a ChannelFactory.
 */
import type { Unsubscribe } from '../device.js';

export interface ByteChannel {
  /** e.g. `serial:/dev/ttyUSB0@115200`, `hid:0x0400:0xc35a` — for health and logs. */
  readonly endpoint: string;
  readonly baudRate: number;
  /** Rejects when the device is absent or busy. */
  open(): Promise<void>;
  write(bytes: Buffer): Promise<void>;
  /** Drops bytes the OS has buffered but not delivered yet (stale answers). */
  discardInput(): Promise<void>;
  onData(listener: (bytes: Buffer) => void): Unsubscribe;
  /** Fires once when the channel goes away: unplugged, I/O error, or close(). */
  onClose(listener: (reason: string) => void): Unsubscribe;
  close(): Promise<void>;
}

export type ChannelFactory = () => ByteChannel;

/** Listener bookkeeping shared by the channel implementations. */
export class ChannelSignals {
  private readonly dataListeners = new Set<(bytes: Buffer) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closed = false;

  onData(listener: (bytes: Buffer) => void): Unsubscribe {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): Unsubscribe {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  data(bytes: Buffer): void {
    for (const listener of this.dataListeners) listener(bytes);
  }

  /** Idempotent: the OS may report one unplug several times. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
  }
}
