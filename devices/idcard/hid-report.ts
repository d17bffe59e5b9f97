/**
 * How Liuliu carries SAM frames over USB-HID (our framing; vendors differ):
 * the serial byte stream is cut into fixed-size reports
 *
 *   [report id][n][n payload bytes][zero padding]   (reportSize bytes in all)
 *
 * in both directions. With report id 0 (device without numbered reports) the
 * id byte is still passed to node-hid on write (hidapi strips it) but input
 * reports arrive without it. The SAM frame parser reassembles frames from the
 * payload stream, so reports need not align with frames. Pure.
 */

export interface HidFraming {
  reportId: number;
  /** Bytes per report including the report id byte; 64 for full-speed HID. */
  reportSize: number;
}

export const DEFAULT_HID_FRAMING: HidFraming = { reportId: 0x01, reportSize: 64 };

export function payloadPerReport(framing: HidFraming): number {
  return framing.reportSize - 2;
}

/** Cuts bytes into output reports ready for node-hid `write`. */
export function toHidReports(bytes: Uint8Array, framing: HidFraming): Buffer[] {
  const capacity = payloadPerReport(framing);
  if (capacity < 1 || capacity > 255) throw new Error(`unsupported HID report size ${framing.reportSize}`);
  const reports: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += capacity) {
    const chunk = bytes.subarray(offset, offset + capacity);
    const report = Buffer.alloc(framing.reportSize);
    report[0] = framing.reportId;
    report[1] = chunk.length;
    report.set(chunk, 2);
    reports.push(report);
  }
  return reports;
}

export type HidReportDecode = { ok: true; payload: Buffer } | { ok: false; reason: string };

/** Payload bytes of one input report as node-hid delivers it. */
export function fromHidReport(report: Uint8Array, framing: HidFraming): HidReportDecode {
  const bytes = Buffer.from(report.buffer, report.byteOffset, report.byteLength);
  let body = bytes;
  if (framing.reportId !== 0) {
    if (bytes[0] !== framing.reportId) return { ok: false, reason: `report id ${bytes[0] ?? 'missing'} is not ${framing.reportId}` };
    body = bytes.subarray(1);
  }
  const length = body[0];
  if (length === undefined) return { ok: false, reason: 'empty report' };
  if (length > body.length - 1) return { ok: false, reason: `report announces ${length} bytes but carries ${body.length - 1}` };
  return { ok: true, payload: Buffer.from(body.subarray(1, 1 + length)) };
}
