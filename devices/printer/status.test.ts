import { describe, expect, it } from 'vitest';
import { demuxStatusBytes, initialDemuxState, interpretPaperSensor, interpretRealtimeStatus, isRealtimeReply } from './status.js';
import type { StatusReply } from './status.js';

describe('interpretRealtimeStatus (spec §6.1 examples)', () => {
  it('all OK', () => {
    expect(interpretRealtimeStatus({ printer: 0x12, offlineCause: 0x12, paper: 0x12 })).toEqual({ paperNearEnd: false });
  });

  it('paper out: n1 1A, n2 32, n4 7E', () => {
    expect(interpretRealtimeStatus({ printer: 0x1a, offlineCause: 0x32, paper: 0x7e })).toEqual({ fault: 'paper_out', paperNearEnd: true });
  });

  it('near end only: n4 1E keeps printing with a warning', () => {
    expect(interpretRealtimeStatus({ printer: 0x12, offlineCause: 0x12, paper: 0x1e })).toEqual({ paperNearEnd: true });
  });

  it('cover open, cutter error, other error, bare offline', () => {
    expect(interpretRealtimeStatus({ printer: 0x1a, offlineCause: 0x16, paper: 0x12 }).fault).toBe('cover_open');
    expect(interpretRealtimeStatus({ printer: 0x1a, offlineCause: 0x52, paper: 0x12, errorCause: 0x1a }).fault).toBe('cutter_error');
    expect(interpretRealtimeStatus({ printer: 0x1a, offlineCause: 0x52, paper: 0x12, errorCause: 0x32 }).fault).toBe('printer_error');
    expect(interpretRealtimeStatus({ printer: 0x1a, offlineCause: 0x12, paper: 0x12 }).fault).toBe('offline');
  });

  it('GS r 1: 00 ok, 03 near end, 0F out', () => {
    expect(interpretPaperSensor(0x00)).toEqual({ paperNearEnd: false });
    expect(interpretPaperSensor(0x03)).toEqual({ paperNearEnd: true });
    expect(interpretPaperSensor(0x0f)).toEqual({ fault: 'paper_out', paperNearEnd: true });
  });

  it('recognises the fixed bits of a DLE EOT reply', () => {
    expect(isRealtimeReply(0x12)).toBe(true);
    expect(isRealtimeReply(0x7e)).toBe(true);
    expect(isRealtimeReply(0x0f)).toBe(false);
    expect(isRealtimeReply(0x13)).toBe(false);
  });
});

describe('demuxStatusBytes', () => {
  // DLE EOT reply, ASB block (header 0x18 = offline, then 00 0C 00), GS r reply 0x0F, DLE EOT 0x1E.
  const stream = [0x12, 0x18, 0x00, 0x0c, 0x00, 0x0f, 0x1e];
  const expected: StatusReply[] = [
    { kind: 'realtime', value: 0x12 },
    { kind: 'asb', bytes: [0x18, 0x00, 0x0c, 0x00] },
    { kind: 'paper', value: 0x0f },
    { kind: 'realtime', value: 0x1e },
  ];

  it('tells DLE EOT, ASB and GS r replies apart', () => {
    expect(demuxStatusBytes(initialDemuxState, Uint8Array.from(stream)).replies).toEqual(expected);
  });

  it('gives the same result for the stream split at every boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const first = demuxStatusBytes(initialDemuxState, Uint8Array.from(stream.slice(0, cut)));
      const second = demuxStatusBytes(first.state, Uint8Array.from(stream.slice(cut)));
      expect([...first.replies, ...second.replies]).toEqual(expected);
    }
  });

  it('reports bytes that fit no reply form as unknown', () => {
    expect(demuxStatusBytes(initialDemuxState, Uint8Array.from([0x93, 0x11])).replies).toEqual([
      { kind: 'unknown', value: 0x93 },
      { kind: 'unknown', value: 0x11 },
    ]);
  });
});
