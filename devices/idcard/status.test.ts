import { describe, expect, it } from 'vitest';
import { STATUS_TABLE, statusInfo } from './status.js';

describe('SW3 status table (spec §5)', () => {
  it('lists every code of the spec', () => {
    const codes = [0x90, 0x9f, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81];
    expect([...STATUS_TABLE.keys()].sort((a, b) => a - b)).toEqual(codes.sort((a, b) => a - b));
    for (const info of STATUS_TABLE.values()) {
      expect(info.meaning.length).toBeGreaterThan(0);
      expect(info.meaningZh.length).toBeGreaterThan(0);
    }
  });

  it('assigns the kiosk handling of the spec notes', () => {
    expect(statusInfo(0x80).handling).toBe('keep-polling');
    for (const sw3 of [0x81, 0x41, 0x31, 0x32, 0x33]) expect(statusInfo(sw3).handling).toBe('replace-card');
    for (const sw3 of [0x10, 0x11, 0x21]) expect(statusInfo(sw3).handling).toBe('resync');
    for (const sw3 of [0x60, 0x66]) expect(statusInfo(sw3).handling).toBe('out-of-service');
    expect(statusInfo(0x90).handling).toBe('success');
    expect(statusInfo(0x9f).handling).toBe('success');
    expect(statusInfo(0x91).handling).toBe('no-content');
    expect(statusInfo(0x60).meaningZh).toBe('SAM自检失败');
  });

  it('treats an unknown code as noise to resync on, naming it in hex', () => {
    expect(statusInfo(0xfe)).toEqual({ sw3: 0xfe, meaning: 'Unknown status 0xFE', meaningZh: '未知状态码 0xFE', handling: 'resync' });
  });
});
