import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/**
 * Talking to a server below what any client library allows: hand-written
 * request lines and WebSocket frames, for attack reproductions and fuzzing.
 */

/** Sends raw bytes and resolves with the status code of the first response line, or 0 when the server closed without one. */
export function rawHttp(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (status: number): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(0), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (match) done(Number(match[1]));
      else if (text.length > 64) done(0);
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
  });
}

/** A client→server WebSocket frame (masked, as RFC 6455 requires of clients). */
export function wsFrame(opcode: number, payload: Buffer, options: { fin?: boolean; declaredLength?: number } = {}): Buffer {
  const length = options.declaredLength ?? payload.length;
  const head: number[] = [(options.fin === false ? 0 : 0x80) | opcode];
  if (length < 126) head.push(0x80 | length);
  else if (length < 65536) head.push(0x80 | 126, length >> 8, length & 0xff);
  else {
    head.push(0x80 | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  const mask = randomBytes(4);
  const masked = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i += 1) masked[i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return Buffer.concat([Buffer.from(head), mask, masked]);
}

/**
 * Opens a WebSocket by hand (upgrade request with the given path and headers)
 * and resolves with the socket once the server answered 101, or with the
 * status it answered instead.
 */
export function rawWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; send(bytes: Buffer): void; closed: Promise<void>; close(): void }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    let text = '';
    let settled = false;
    const closed = new Promise<void>((resolveClosed) => socket.on('close', () => resolveClosed()));
    const settle = (status: number): void => {
      if (settled) return;
      settled = true;
      resolve({ status, send: (bytes) => socket.writable && socket.write(bytes), closed, close: () => socket.destroy() });
    };
    socket.on('connect', () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk) => {
      if (settled) return;
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) {
        const status = Number(match[1]);
        if (status === 101) {
          const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
          if (!text.includes(accept)) socket.destroy();
        }
        settle(status);
      }
    });
    socket.on('error', () => settle(0));
    socket.on('close', () => settle(0));
  });
}

/**
 * A slow client (slowloris): sends `head`, then `drip` every `everyMs`, never
 * finishing the request. Resolves when the server gives up on it — with the
 * status it answered (408) or 0 for a bare close — and the milliseconds that
 * took, or `{status: -1}` when the server still holds it after `giveUpMs`.
 */
export function slowClient(port: number, head: string, drip: string, options: { everyMs: number; giveUpMs: number }): Promise<{ status: number; afterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const done = (status: number): void => {
      if (settled) return;
      settled = true;
      clearInterval(dripping);
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, afterMs: Date.now() - started });
    };
    const dripping = setInterval(() => socket.writable && socket.write(drip), options.everyMs);
    const timer = setTimeout(() => done(-1), options.giveUpMs);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)));
  });
}
