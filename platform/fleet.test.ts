import { describe, expect, it } from 'vitest';
import type { Heartbeat } from '../platform-contract/contract.js';
import { fleetRow, renderFleetPage } from './fleet.js';

const beat: Heartbeat = {
  at: '2026-12-03T10:00:00.000Z',
  appVersion: '0.1.0',
  contentVersion: null,
  backlog: 3,
  deadLetters: 0,
  devices: { printer: { state: 'error', reason: '打印机缺纸' }, idcard: { state: 'ok' }, scanner: { state: 'disconnected' } },
  maintenance: { outOfService: true, desk: '2', since: '2026-12-03T09:00:00.000Z' },
};

describe('fleet rows', () => {
  const now = new Date('2026-12-03T10:05:00.000Z');
  it('flags a terminal silent for longer than the stale limit, and one never heard from', () => {
    expect(fleetRow({ id: 'a', revoked: false }, { receivedAt: '2026-12-03T10:04:30.000Z', heartbeat: beat }, 0, now, 120).status).toBe('ok');
    expect(fleetRow({ id: 'a', revoked: false }, { receivedAt: '2026-12-03T10:02:59.000Z', heartbeat: beat }, 0, now, 120)).toMatchObject({ status: 'stale', secondsSinceSeen: 121 });
    expect(fleetRow({ id: 'b', revoked: false }, undefined, 0, now, 120)).toMatchObject({ status: 'never', lastSeenAt: null, outOfService: false, devicesInError: [] });
  });

  it('lists the devices in error or disconnected, and out of service', () => {
    const row = fleetRow({ id: 'a', revoked: false }, { receivedAt: '2026-12-03T10:04:30.000Z', heartbeat: beat }, 2, now, 120);
    expect(row.devicesInError).toEqual([
      { device: 'printer', state: 'error', reason: '打印机缺纸' },
      { device: 'scanner', state: 'disconnected' },
    ]);
    expect(row).toMatchObject({ outOfService: true, backlog: 3, pendingCommands: 2 });
  });

  it('escapes what terminals report on the page', () => {
    const hostile: Heartbeat = { ...beat, devices: { printer: { state: 'error', reason: '<script>alert(1)</script>' } } };
    const page = renderFleetPage([fleetRow({ id: 'a', revoked: false }, { receivedAt: '2026-12-03T10:04:30.000Z', heartbeat: hostile }, 0, now, 120)], now, 120);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
  });
});
