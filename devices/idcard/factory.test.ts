import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DeviceReason } from '../../electron/common/device-reasons.js';
import { createIdCardReader, idCardReaderConfigSchema } from './factory.js';
import type { CardRead } from './reader.js';
import { EXAMPLE_B_2000 } from './sim/cards.js';

describe('createIdCardReader', () => {
  it('validates the host config', () => {
    expect(idCardReaderConfigSchema.parse({ kind: 'serial', path: '/dev/ttyUSB0' })).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 });
    expect(idCardReaderConfigSchema.safeParse({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 4800 }).success).toBe(false);
    expect(idCardReaderConfigSchema.safeParse({ kind: 'hid', vendorId: 0x10000, productId: 1 }).success).toBe(false);
    expect(idCardReaderConfigSchema.safeParse({ kind: 'simulator', card: 'nobody' }).success).toBe(false);
    expect(idCardReaderConfigSchema.parse({ kind: 'hid', vendorId: 1, productId: 2, pollIntervalMs: 50, readAttempts: 2 })).toMatchObject({ pollIntervalMs: 50, readAttempts: 2 });
    expect(idCardReaderConfigSchema.safeParse({ kind: 'serial', path: '/dev/ttyUSB0', pollIntervalMs: 5 }).success).toBe(false);
    expect(idCardReaderConfigSchema.safeParse({ kind: 'simulator', readAttempts: 0 }).success).toBe(false);
  });

  it('passes the configured poll interval and read attempts to the driver, over the caller\'s tuning', async () => {
    const handle = await createIdCardReader({ kind: 'simulator', pollIntervalMs: 1000, readAttempts: 1 }, pino({ level: 'silent' }), { pollIntervalMs: 20, readAttempts: 3, timeoutScale: 3 });
    const commands: string[] = [];
    handle.simulator?.onCommand((command) => commands.push(command ?? 'unknown'));
    try {
      await handle.reader.start();
      await new Promise<void>((resolve) => {
        const off = handle.reader.events.on('health', (health) => {
          if (health.state !== 'ok') return;
          off();
          resolve();
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      // One find a second (20 ms would make it dozens); sleeps only ever stretch, so this holds on a slow machine too.
      expect(commands.filter((c) => c === 'findCard').length).toBeLessThanOrEqual(3);

      handle.simulator?.setFault({ kind: 'read-fails' });
      const failed = new Promise<string>((resolve) => handle.reader.events.on('readError', (error) => resolve(error.code)));
      handle.simulator?.placeCard(EXAMPLE_B_2000);
      expect(await failed).toBe('read-failed');
      // A single attempt: one read, no retry.
      expect(commands.filter((c) => c === 'readBase')).toHaveLength(1);
    } finally {
      await handle.dispose();
    }
  });

  it('builds serial and HID readers without opening anything', async () => {
    const serial = await createIdCardReader({ kind: 'serial', path: '/dev/ttyUSB9', baudRate: 9600 }, pino({ level: 'silent' }));
    expect(serial.simulator).toBeNull();
    expect(serial.reader.health().state).toBe('starting');
    const hid = await createIdCardReader({ kind: 'hid', vendorId: 0x0400, productId: 0xc35a }, pino({ level: 'silent' }));
    expect(hid.simulator).toBeNull();
    await serial.dispose();
    await hid.dispose();
  });

  it('reports a HID reader that is not plugged in as disconnected, without crashing', async () => {
    const handle = await createIdCardReader({ kind: 'hid', vendorId: 0xfffe, productId: 0xfffd }, pino({ level: 'silent' }), { reconnectMinMs: 100 });
    const disconnected = new Promise<DeviceReason | undefined>((resolve) => {
      handle.reader.events.on('health', (health) => {
        if (health.state === 'disconnected') resolve(health.reason);
      });
    });
    await handle.reader.start();
    try {
      expect((await disconnected)?.code).toBe('device.idcardDisconnected');
      expect(handle.reader.health().endpoint).toBe('hid:0xfffe:0xfffd');
    } finally {
      await handle.dispose();
    }
  });

  it('starts the simulator with its demo card and returns its controls', async () => {
    const handle = await createIdCardReader({ kind: 'simulator', card: 'zhang' }, pino({ level: 'silent' }), { pollIntervalMs: 100, timeoutScale: 3 });
    try {
      const reads: CardRead[] = [];
      const second = new Promise<CardRead>((resolve) => {
        handle.reader.events.on('cardPlaced', (read) => {
          reads.push(read);
          if (reads.length === 2) resolve(read);
        });
      });
      handle.reader.events.on('cardRemoved', () => handle.simulator?.placeCard(EXAMPLE_B_2000));
      await handle.reader.start();
      await new Promise<void>((resolve) => {
        const off = handle.reader.events.on('cardPlaced', () => {
          off();
          resolve();
        });
      });
      expect(reads[0]?.record.name).toBe('张三丰');
      handle.simulator?.removeCard();
      expect((await second).record.name).toBe('马明远');
    } finally {
      await handle.dispose();
    }
    expect(handle.reader.health().reason).toEqual({ code: 'device.stopped', params: {} });
  });
});
