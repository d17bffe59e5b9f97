import { describe, expect, it } from 'vitest';
import { buildResponse, feedResponses } from './commands.js';
import { EMPTY_PARSER } from './frame.js';
import { DEFAULT_HID_FRAMING, fromHidReport, payloadPerReport, toHidReports } from './hid-report.js';
import type { HidFraming } from './hid-report.js';

const frame = buildResponse(0x90, Buffer.from(Array.from({ length: 1288 - 4 }, (_, i) => i & 0xff)));

function reassemble(reports: Buffer[], framing: HidFraming, dropIdByte: boolean): Buffer {
  return Buffer.concat(
    reports.map((report) => {
      const decoded = fromHidReport(dropIdByte ? report.subarray(1) : report, framing);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.payload;
    }),
  );
}

describe('HID report framing', () => {
  it('cuts a 1295-byte frame into 64-byte reports of [id][n][payload][padding]', () => {
    const reports = toHidReports(frame, DEFAULT_HID_FRAMING);
    expect(payloadPerReport(DEFAULT_HID_FRAMING)).toBe(62);
    expect(reports).toHaveLength(Math.ceil(1295 / 62));
    for (const report of reports) {
      expect(report.length).toBe(64);
      expect(report[0]).toBe(0x01);
    }
    expect(reports[0]?.[1]).toBe(62);
    expect(reports.at(-1)?.[1]).toBe(1295 % 62);
    expect(reports.at(-1)?.subarray(2 + (1295 % 62)).every((b) => b === 0)).toBe(true);
  });

  it('reassembles the byte stream the frame parser reads', () => {
    const bytes = reassemble(toHidReports(frame, DEFAULT_HID_FRAMING), DEFAULT_HID_FRAMING, false);
    expect(bytes.equals(frame)).toBe(true);
    const parsed = feedResponses(EMPTY_PARSER, bytes);
    expect(parsed.frames).toHaveLength(1);
  });

  it('handles unnumbered reports (id 0): node-hid delivers input without the id byte', () => {
    const framing = { reportId: 0, reportSize: 65 };
    const reports = toHidReports(frame, framing);
    expect(reports[0]?.[0]).toBe(0);
    expect(reassemble(reports, framing, true).equals(frame)).toBe(true);
  });

  it('round-trips every length from 0 to 200 bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) & 0xff));
      const reports = toHidReports(bytes, DEFAULT_HID_FRAMING);
      expect(reports).toHaveLength(Math.ceil(n / 62));
      expect(reassemble(reports, DEFAULT_HID_FRAMING, false).equals(bytes)).toBe(true);
    }
  });

  it('rejects foreign report ids, empty reports and lengths beyond the report', () => {
    expect(fromHidReport(Buffer.from([0x02, 1, 0xaa]), DEFAULT_HID_FRAMING).ok).toBe(false);
    expect(fromHidReport(Buffer.from([0x01]), DEFAULT_HID_FRAMING).ok).toBe(false);
    expect(fromHidReport(Buffer.from([0x01, 5, 1, 2]), DEFAULT_HID_FRAMING).ok).toBe(false);
    expect(() => toHidReports(frame, { reportId: 1, reportSize: 2 })).toThrow();
  });
});
