import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogUpload } from '../../../platform-contract/contract.js';
import { buildLogUpload, logTargets } from './logs.js';
import { IN_SERVICE, defaultDesk, parseState } from './maintenance.js';
import { paperState } from './facts.js';
import { restartSummary } from './restarts.js';
import { deviceReason, type DeviceReason } from '../../common/device-reasons.js';
import type { Hall } from '../content/schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-ops-'));
  dirs.push(dir);
  return dir;
}

describe('maintenance state', () => {
  it('names the configured desk, else the first information desk, else none', () => {
    const hall = (types: string[]) => ({ facilities: types.map((type, i) => ({ id: `f${i}`, type })) }) as unknown as Hall;
    expect(defaultDesk('7', hall([]))).toBe('7');
    expect(defaultDesk(undefined, hall(['toilet', 'info-desk']))).toBe('1');
    expect(defaultDesk(undefined, hall(['toilet']))).toBeNull();
  });

  it('reads a stored state, and refuses a damaged one instead of guessing', () => {
    expect(parseState(undefined)).toEqual(IN_SERVICE);
    expect(parseState('{"outOfService":true,"desk":"2","since":"2026-12-03T08:00:00.000Z","by":"platform"}')).toEqual({ outOfService: true, desk: '2', since: '2026-12-03T08:00:00.000Z', by: 'platform' });
    expect(parseState('{"outOfService":"yes"}')).toBeNull();
    expect(parseState('{not json')).toBeNull();
  });
});

describe('heartbeat facts', () => {
  it('reads the paper state from the printer health', () => {
    const printer = (state: 'ok' | 'degraded' | 'error', reason?: DeviceReason) => ({ device: 'printer' as const, state, since: 'x', ...(reason === undefined ? {} : { reason }) });
    expect(paperState(undefined, false)).toBe('none');
    expect(paperState(undefined, true)).toBe('unknown');
    expect(paperState(printer('ok'), true)).toBe('ok');
    expect(paperState(printer('degraded', deviceReason('device.printerPaperNearEnd', {})), true)).toBe('near-end');
    expect(paperState(printer('error', deviceReason('device.printerFault', { reason: 'paper_out' })), true)).toBe('out');
    expect(paperState(printer('error', deviceReason('device.printerFault', { reason: 'cover_open' })), true)).toBe('unknown');
  });

  it('summarises the restart record, newest last in, newest first out', () => {
    const records = [
      { at: '2026-12-03T08:00:00.000Z', what: 'host', reason: 'exit code 1' },
      { at: '2026-12-03T09:00:00.000Z', what: 'renderer', reason: 'unresponsive' },
    ];
    const summary = restartSummary({ sinceBoot: () => records });
    expect(summary.restartsSinceBoot).toBe(2);
    expect(summary.lastRestart).toEqual(records[1]);
    expect(summary.newestFirst.map((r) => r.what)).toEqual(['renderer', 'host']);
    expect(restartSummary({ sinceBoot: () => [] })).toEqual({ restartsSinceBoot: 0, lastRestart: null, newestFirst: [] });
  });
});

describe('log export', () => {
  it('sends the newest files first and the newest whole lines of a file that does not fit, within the byte limit', () => {
    const dir = tempDir();
    const line = (i: number) => `{"msg":"line ${i} \\"q\\" 咨询台"}\n`;
    writeFileSync(join(dir, 'liuliu.1.log'), Array.from({ length: 5000 }, (_, i) => line(i)).join(''));
    writeFileSync(join(dir, 'not-a-log.txt'), 'x');
    const built = buildLogUpload(dir, 20_000, new Date('2026-12-03T10:00:00Z'), 'cmd-1');
    expect(LogUpload.parse(built.upload)).toBeTruthy();
    expect(built.bytes).toBeLessThanOrEqual(20_000);
    expect(Buffer.byteLength(JSON.stringify(built.upload))).toBe(built.bytes);
    expect(built.truncated).toBe(true);
    const [file] = built.upload.files;
    expect(file?.name).toBe('liuliu.1.log');
    expect(file?.text.endsWith(line(4999))).toBe(true);
    expect(file?.text.startsWith('{"msg":"line ')).toBe(true);
    expect(built.upload.commandId).toBe('cmd-1');
  });

  it('offers the configured directories and the drives mounted directly inside them', () => {
    const root = tempDir();
    mkdirSync(join(root, 'usb-a'));
    mkdirSync(join(root, '.hidden'));
    mkdirSync(join(root, 'liuliu-logs-kiosk-01-old'));
    expect(logTargets([root, join(root, 'missing')])).toEqual([
      { path: root, available: true },
      { path: join(root, 'usb-a'), available: true },
      { path: join(root, 'missing'), available: false },
    ]);
  });
});
