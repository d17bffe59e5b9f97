import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeEscPos } from '../escpos.js';
import { MAX_CONNECTIONS, MAX_JOB_BYTES, PrinterSimulator, asbBlock, paperSensorReply, printerIdReply, realtimeStatusReply } from './simulator.js';
import type { SimulatedPrinterState } from './simulator.js';

const HEALTHY: SimulatedPrinterState = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, cutterError: false, unresponsive: false };

describe('status replies from state (spec §6)', () => {
  it('answers like the spec examples', () => {
    const paperOut = { ...HEALTHY, paperOut: true };
    expect([1, 2, 3, 4].map((n) => realtimeStatusReply(HEALTHY, n))).toEqual([0x12, 0x12, 0x12, 0x12]);
    expect([1, 2, 4].map((n) => realtimeStatusReply(paperOut, n))).toEqual([0x1a, 0x32, 0x7e]);
    expect(realtimeStatusReply({ ...HEALTHY, paperNearEnd: true }, 4)).toBe(0x1e);
    expect(paperSensorReply(HEALTHY)).toBe(0x00);
    expect(paperSensorReply(paperOut)).toBe(0x0f);
    expect([...asbBlock({ ...HEALTHY, coverOpen: true })]).toEqual([0x38, 0x00, 0x00, 0x00]);
  });

  it('answers GS I like a TM-series printer: one byte for n = 1–3, `_ text NUL` for 65–69', () => {
    expect([1, 0x31, 2, 3].map((n) => [...(printerIdReply(n) ?? [])])).toEqual([[0x20], [0x20], [0x03], [0x01]]);
    expect(printerIdReply(67)?.toString('latin1')).toBe('_LIULIU-SIM\0');
    expect(printerIdReply(66)?.toString('latin1')).toBe('_LIULIU\0');
    expect(printerIdReply(9)).toBeUndefined();
  });
});

describe('PrinterSimulator over TCP', () => {
  const sim = new PrinterSimulator();
  let socket: Socket | undefined;

  beforeAll(() => sim.start());
  afterEach(() => {
    socket?.destroy();
    sim.reset();
  });
  afterAll(() => sim.close());

  async function open(): Promise<{ socket: Socket; received: () => Buffer }> {
    const chunks: Buffer[] = [];
    const s = connect({ host: '127.0.0.1', port: sim.port });
    socket = s;
    s.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    return { socket: s, received: () => Buffer.concat(chunks) };
  }

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  it('answers DLE EOT and GS r byte by byte, and sends ASB when enabled and on change', async () => {
    const link = await open();
    sim.setState({ paperOut: true });
    link.socket.write(Buffer.from('1004011004021004041d7201', 'hex'));
    await until(() => link.received().length >= 4);
    expect([...link.received()]).toEqual([0x1a, 0x32, 0x7e, 0x0f]);
    link.socket.write(Buffer.from('1d6102', 'hex'));
    await until(() => link.received().length >= 8);
    sim.setState({ paperOut: false });
    await until(() => link.received().length >= 12);
    expect([...link.received().subarray(4)]).toEqual([0x18, 0x00, 0x0f, 0x00, 0x10, 0x00, 0x00, 0x00]);
  });

  it('splits jobs at cuts, stamps cutAt, and records a cut-less job when the link closes', async () => {
    const link = await open();
    const ticket = encodeEscPos([{ kind: 'text', text: '一号' }, { kind: 'cut' }], { paperWidthChars: 32 });
    // Byte by byte: commands split across TCP segments must still decode.
    for (const byte of ticket) link.socket.write(Buffer.from([byte]));
    link.socket.write(encodeEscPos([{ kind: 'text', text: '二号' }], { paperWidthChars: 32 }));
    const first = await sim.waitForJob();
    expect(first.text).toBe('[L] 一号\n--- cut ---\n');
    expect(first.cutAt).toBeGreaterThan(0);
    link.socket.end();
    const second = await sim.waitForJob((job) => job.text.includes('二号'));
    expect(second).toMatchObject({ complete: false, endedBy: 'close' });
    expect(second.cutAt).toBeUndefined();
  });

  it('closes a job that never cuts at MAX_JOB_BYTES and goes on (a runaway or hostile stream cannot grow one job without bound), still answering status', async () => {
    const link = await open();
    // 5 MiB of text and line feeds, 80,000 unknown-command issues among them, no cut.
    const line = Buffer.concat([Buffer.from('x'.repeat(60)), Buffer.from('1b7a0a', 'hex')]);
    const chunk = Buffer.concat(Array.from({ length: 16_384 }, () => line));
    for (let sent = 0; sent < 5 * 1024 * 1024; sent += chunk.length) {
      if (!link.socket.write(chunk)) await new Promise((resolve) => link.socket.once('drain', resolve));
    }
    const first = await sim.waitForJob(undefined, 20_000);
    expect(first).toMatchObject({ complete: false, endedBy: 'too-long' });
    expect(first.bytes.length).toBeGreaterThanOrEqual(MAX_JOB_BYTES);
    expect(first.bytes.length).toBeLessThan(MAX_JOB_BYTES + 1024);
    expect(first.issues.length).toBeLessThanOrEqual(202);
    expect(first.issues.at(-2)).toMatch(/^… and \d+ more issues$/);
    expect(first.issues.at(-1)).toContain('without a cut');
    link.socket.write(Buffer.from('100401', 'hex'));
    await until(() => link.received().length >= 1);
    expect([...link.received()]).toEqual([0x12]);    // The rest of the stream is the next job, recorded when the link closes.
    link.socket.end();
    expect((await sim.waitForJob((job) => job.endedBy === 'close', 20_000)).bytes.length).toBeGreaterThan(0);
  });

  it(`closes connections beyond ${MAX_CONNECTIONS} at once and serves the others`, async () => {
    const extra: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS; i++) {
        const s = connect({ host: '127.0.0.1', port: sim.port });
        extra.push(s);
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      }
      await until(() => sim.openConnections === MAX_CONNECTIONS);
      const refused = connect({ host: '127.0.0.1', port: sim.port });
      extra.push(refused);
      await new Promise<void>((resolve) => refused.once('close', () => resolve()));
      const reply: Buffer[] = [];
      extra[0]!.on('data', (chunk: Buffer) => reply.push(chunk));
      extra[0]!.write(Buffer.from('100401', 'hex'));
      await until(() => reply.length > 0);
      expect([...Buffer.concat(reply)]).toEqual([0x12]);
    } finally {
      await Promise.all(extra.map((s) => (s.closed ? undefined : new Promise((resolve) => s.once('close', resolve).destroy()))));
      // The simulator sees the closes a moment later; the next test needs a free slot.
      await until(() => sim.openConnections === 0);
    }
  });

  it('reports unknown bytes in the job instead of failing', async () => {
    const link = await open();
    link.socket.write(Buffer.concat([Buffer.from('1b40', 'hex'), Buffer.from('1b7a01', 'hex'), Buffer.from('ok\n'), Buffer.from('1d5600', 'hex')]));
    const job = await sim.waitForJob();
    // ESC z is unknown, so its parameter byte 01 is a stray control byte too.
    expect(job.issues).toEqual(['unknown bytes 1B 7A', 'unknown bytes 01']);
    expect(job.text).toBe('[L] ok\n--- cut ---\n');
  });

  it('answers GS I without starting a job, and records a third-party job with its barcode and drawer kick', async () => {
    const link = await open();
    link.socket.write(Buffer.from('1d49011d4943', 'hex'));
    await until(() => link.received().length >= 13);
    expect(link.received().toString('latin1')).toBe('\x20_LIULIU-SIM\0');
    expect(sim.statusQueries().map((query) => [query.command, query.n])).toEqual([['GS I', 1], ['GS I', 0x43]]);
    link.socket.write(Buffer.concat([
      Buffer.from('1b401d68501d4802', 'hex'), Buffer.from([0x1d, 0x6b, 0x49, 7]), Buffer.from('{B12345'),
      Buffer.from('1b70003232', 'hex'), Buffer.from('1d5600', 'hex'),
    ]));
    const job = await sim.waitForJob();
    expect(job.text).toBe('[L] [BARCODE CODE128: 12345]\n--- cut ---\n');
    expect(job.events).toEqual([{ kind: 'drawer-kick', pin: 2, onMs: 100, offMs: 100 }]);
    expect(job.issues).toEqual([]);
    expect(sim.jobs()).toHaveLength(1);
  });

  it('stays silent when unresponsive and times out a waiter with a clear error', async () => {
    const link = await open();
    sim.setState({ unresponsive: true });
    link.socket.write(Buffer.from('100401', 'hex'));
    await until(() => sim.statusQueries().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(link.received().length).toBe(0);
    expect(sim.statusQueries()[0]).toMatchObject({ command: 'DLE EOT', n: 1, answered: false });
    await expect(sim.waitForJob(() => true, 200)).rejects.toThrow(/no matching print job within 200 ms/);
  });
});
