/**
 * Byte links to a printer: raw TCP (port 9100), a device file (usblp
 * /dev/usb/lp0, write-only here) and a serial port. The driver opens one link
 * per job, so status replies and the job share a connection and a dead link
 * never outlives its job. Failures reject with PrinterLinkError.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import { SerialPort } from 'serialport';

export type LinkFailure = 'unreachable' | 'timeout' | 'disconnected';

export class PrinterLinkError extends Error {
  override readonly name = 'PrinterLinkError';
  constructor(readonly reason: LinkFailure, message: string) {
    super(message);
  }
}

export interface PrinterLink {
  /** false for links that cannot carry status replies back (device files). */
  readonly canRead: boolean;
  write(bytes: Buffer): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  /** The other end went away (not called for our own close()). */
  onClose(listener: (error: Error | undefined) => void): void;
  close(): Promise<void>;
}

export interface PrinterTransport {
  /** For health and logs: `tcp://host:port`, `/dev/usb/lp0`, `serial:/dev/ttyUSB0?baud=19200`. */
  readonly endpoint: string;
  open(timeoutMs: number): Promise<PrinterLink>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Listener registry shared by the link implementations. */
class LinkEvents {
  private readonly dataListeners: Array<(chunk: Buffer) => void> = [];
  private readonly closeListeners: Array<(error: Error | undefined) => void> = [];
  closing = false;
  closed = false;

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (error: Error | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  data(chunk: Buffer): void {
    for (const listener of this.dataListeners) listener(chunk);
  }

  close(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.closing) for (const listener of this.closeListeners) listener(error);
  }
}

export function tcpTransport(host: string, port: number): PrinterTransport {
  const endpoint = `tcp://${host}:${port}`;
  return {
    endpoint,
    open: (timeoutMs) =>
      new Promise<PrinterLink>((resolve, reject) => {
        const socket = connect({ host, port });
        const events = new LinkEvents();
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new PrinterLinkError('unreachable', `connect to ${endpoint} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        socket.once('error', (error) => {
          clearTimeout(timer);
          reject(new PrinterLinkError('unreachable', `connect to ${endpoint}: ${error.message}`));
        });
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          socket.setNoDelay(true);
          let lastError: Error | undefined;
          socket.on('error', (error) => {
            lastError = error;
          });
          socket.on('data', (chunk: Buffer) => events.data(chunk));
          socket.on('close', () => events.close(lastError));
          resolve({
            canRead: true,
            write: (bytes) =>
              new Promise<void>((done, fail) => {
                if (socket.destroyed || events.closed) {
                  fail(new PrinterLinkError('disconnected', `${endpoint} closed`));
                  return;
                }
                socket.write(bytes, (error) => (error ? fail(new PrinterLinkError('disconnected', `write to ${endpoint}: ${error.message}`)) : done()));
              }),
            onData: (listener) => events.onData(listener),
            onClose: (listener) => events.onClose(listener),
            close: () =>
              new Promise<void>((done) => {
                events.closing = true;
                if (socket.destroyed) {
                  done();
                  return;
                }
                const force = setTimeout(() => socket.destroy(), 1000);
                socket.once('close', () => {
                  clearTimeout(force);
                  done();
                });
                socket.end();
              }),
          });
        });
      }),
  };
}

/**
 * A printer device file (usblp `/dev/usb/lp0`, a parallel port…). Opened
 * without O_CREAT, so an unplugged printer is "unreachable" instead of a
 * regular file quietly created in its place. Write-only: no status.
 */
export function deviceFileTransport(path: string): PrinterTransport {
  return {
    endpoint: path,
    open: async (timeoutMs) => {
      const opening = open(path, constants.O_WRONLY | constants.O_APPEND);
      const handle = await withTimeout(opening, timeoutMs, 'unreachable', `open ${path}`).catch((error: unknown) => {
        // If the open completes after we gave up, do not leak the descriptor.
        opening.then((late) => late.close(), () => undefined).catch(() => undefined);
        throw error instanceof PrinterLinkError ? error : new PrinterLinkError('unreachable', `open ${path}: ${errorText(error)}`);
      });
      const events = new LinkEvents();
      return {
        canRead: false,
        write: async (bytes) => {
          try {
            let offset = 0;
            while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten;
          } catch (error) {
            throw new PrinterLinkError('disconnected', `write to ${path}: ${errorText(error)}`);
          }
        },
        onData: (listener) => events.onData(listener),
        onClose: (listener) => events.onClose(listener),
        close: async () => {
          events.closing = true;
          await handle.close().catch(() => undefined);
        },
      };
    },
  };
}

/** RS-232 or a USB-serial bridge, 8N1 at the given speed. */
export function serialTransport(path: string, baudRate: number): PrinterTransport {
  const endpoint = `serial:${path}?baud=${baudRate}`;
  return {
    endpoint,
    open: (timeoutMs) =>
      new Promise<PrinterLink>((resolve, reject) => {
        const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
        const events = new LinkEvents();
        const timer = setTimeout(() => {
          reject(new PrinterLinkError('unreachable', `open ${endpoint} timed out after ${timeoutMs} ms`));
          if (port.isOpen) port.close(() => undefined);
        }, timeoutMs);
        port.open((error) => {
          clearTimeout(timer);
          if (error) {
            reject(new PrinterLinkError('unreachable', `open ${endpoint}: ${error.message}`));
            return;
          }
          let lastError: Error | undefined;
          port.on('error', (portError: Error) => {
            lastError = portError;
          });
          port.on('data', (chunk: Buffer) => events.data(chunk));
          port.on('close', () => events.close(lastError));
          resolve({
            canRead: true,
            write: (bytes) =>
              new Promise<void>((done, fail) => {
                if (!port.isOpen) {
                  fail(new PrinterLinkError('disconnected', `${endpoint} closed`));
                  return;
                }
                port.write(bytes, (writeError) => {
                  if (writeError) fail(new PrinterLinkError('disconnected', `write to ${endpoint}: ${writeError.message}`));
                  else port.drain((drainError) => (drainError ? fail(new PrinterLinkError('disconnected', `drain ${endpoint}: ${drainError.message}`)) : done()));
                });
              }),
            onData: (listener) => events.onData(listener),
            onClose: (listener) => events.onClose(listener),
            close: () =>
              new Promise<void>((done) => {
                events.closing = true;
                if (!port.isOpen) {
                  done();
                  return;
                }
                port.close(() => done());
              }),
          });
        });
      }),
  };
}

/** Rejects with PrinterLinkError(reason) if `promise` has not settled in time. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, reason: LinkFailure, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PrinterLinkError(reason, `${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
