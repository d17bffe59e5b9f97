import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { citizenLookupKey } from '../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from './testing.js';

const hall = { id: 'hall-01', secret: 'hall-01-platform-secret-0123' };
const SECRET = 'hall-citizen-key-secret';
const ZHANG = '430181198001011239';
const slot = { serviceId: 'hz-sfz-hl', categoryId: 'huzheng', slotStart: '2026-12-04T02:00:00.000Z', slotEnd: '2026-12-04T02:30:00.000Z' };
let platform: LoopbackPlatform;
let client: PlatformClient;

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [hall], citizenKeySecret: SECRET });
  client = new PlatformClient({ baseUrl: platform.url, terminalId: hall.id, secret: hall.secret, now: () => new Date(), logger: silentLogger(), timeoutMs: 5_000 });
});
afterEach(async () => {
  client.close();
  await platform.close();
});

describe('appointments on the reference platform', () => {
  it('books by ID number and serves the keyed hash and a masked name only, through the signed pull', async () => {
    const booked = await platform.admin.createAppointment({ idNumber: ZHANG, name: '张三丰', ...slot });
    expect(booked.code).toMatch(/^\d{8}$/);
    expect(booked.citizenKey).toBe(citizenLookupKey(SECRET, ZHANG));
    expect(booked.maskedName).toBe('张*丰');
    const page = await client.appointments(null, 100);
    expect(page.ok && page.value.appointments).toEqual([booked]);
    expect(JSON.stringify(page)).not.toContain(ZHANG);
  });

  it('pages with a cursor and sends a cancellation again with a higher seq', async () => {
    const first = await platform.admin.createAppointment({ citizenKey: citizenLookupKey(SECRET, ZHANG), ...slot });
    await platform.admin.createAppointment({ idNumber: ZHANG, ...slot });
    const one = await client.appointments(null, 1);
    expect(one.ok && one.value.more).toBe(true);
    const rest = await client.appointments(one.ok ? one.value.cursor : null, 100);
    expect(rest.ok && rest.value.appointments.length).toBe(1);
    const cancelled = await platform.admin.cancelAppointment(first.id);
    expect(cancelled.status).toBe('cancelled');
    const after = await client.appointments(rest.ok ? rest.value.cursor : null, 100);
    expect(after.ok && after.value.appointments.map((a) => [a.id, a.status])).toEqual([[first.id, 'cancelled']]);
  });

  it('refuses bad bookings clearly and stores nothing', async () => {
    await expect(platform.admin.createAppointment({ idNumber: '123', ...slot })).rejects.toThrow(/400/);
    await expect(platform.admin.createAppointment({ idNumber: ZHANG, ...slot, slotEnd: slot.slotStart })).rejects.toThrow(/slotEnd/);
    await expect(platform.admin.createAppointment({ idNumber: ZHANG, citizenKey: 'a'.repeat(64), ...slot })).rejects.toThrow(/not both/);
    await expect(platform.admin.cancelAppointment('appt-nope')).rejects.toThrow(/404/);
    const page = await client.appointments(null, 100);
    expect(page.ok && page.value.appointments).toEqual([]);
  });

  it('refuses the pull of a revoked terminal and an unknown cursor', async () => {
    await platform.admin.createAppointment({ idNumber: ZHANG, ...slot });
    expect((await client.appointments('x', 10)).ok).toBe(false);
    await platform.admin.revokeTerminal(hall.id);
    const refused = await client.appointments(null, 100);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.kind).toBe('auth');
  });
});
