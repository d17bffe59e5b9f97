/**
 * Data fields of successful responses (spec §6): the read-base and
 * read-with-fingerprint payloads (split by their own length fields), the
 * appended address and the SAM ID. Pure. The photo and fingerprint come out
 * as opaque Buffers; the driver drops them (see reader.ts).
 */
import { decodeUcs2 } from './text-block.js';

export interface ReadBasePayload {
  text: Buffer;
  /** WLT, encrypted and compressed (spec §9); opaque. */
  photo: Buffer;
  /** Only for read-with-fingerprint; proprietary templates, never kept. */
  fingerprint?: Buffer;
}

export type PayloadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * `lengthFields` = 2 for read base (text, photo), 3 for read with fingerprint.
 * The declared lengths must add up to exactly the bytes that follow them.
 */
export function parseReadPayload(data: Buffer, lengthFields: 2 | 3 = 2): PayloadResult<ReadBasePayload> {
  const headerBytes = 2 * lengthFields;
  if (data.length < headerBytes) return { ok: false, reason: `payload of ${data.length} bytes has no length fields` };
  const lengths = Array.from({ length: lengthFields }, (_, i) => data.readUInt16BE(2 * i));
  const declared = lengths.reduce((a, b) => a + b, 0);
  if (headerBytes + declared !== data.length) {
    return { ok: false, reason: `length fields ${lengths.join('+')} do not match ${data.length - headerBytes} payload bytes` };
  }
  const [textLength = 0, photoLength = 0] = lengths;
  const text = data.subarray(headerBytes, headerBytes + textLength);
  const photo = data.subarray(headerBytes + textLength, headerBytes + textLength + photoLength);
  if (lengthFields === 2) return { ok: true, value: { text, photo } };
  return { ok: true, value: { text, photo, fingerprint: data.subarray(headerBytes + textLength + photoLength) } };
}

/** Read response data as the reader sends it: big-endian lengths, then the parts (text, photo[, fingerprint]). */
export function buildReadPayload(parts: Buffer[]): Buffer {
  const header = Buffer.alloc(2 * parts.length);
  parts.forEach((part, i) => header.writeUInt16BE(part.length, 2 * i));
  return Buffer.concat([header, ...parts]);
}

export const NEWEST_ADDRESS_BYTES = 70;

/** 30 03 answer: 35 UCS-2LE characters, space padded. */
export function decodeNewestAddress(data: Buffer): string {
  return decodeUcs2(data.subarray(0, NEWEST_ADDRESS_BYTES));
}

export function encodeNewestAddress(address: string): Buffer {
  const block = Buffer.from(' '.repeat(NEWEST_ADDRESS_BYTES / 2), 'utf16le');
  const encoded = Buffer.from(address, 'utf16le');
  if (encoded.length > NEWEST_ADDRESS_BYTES) throw new Error('appended address longer than 35 characters');
  encoded.copy(block);
  return block;
}

export interface SamId {
  /** `AA.BB-C-D-E` as two public drivers render it (D and E unpadded; their padding differs). */
  display: string;
  /** The raw 16 bytes, logged as well because the rendering is not standardised. */
  hex: string;
}

export function decodeSamId(data: Buffer): PayloadResult<SamId> {
  if (data.length < 16) return { ok: false, reason: `SAM ID has ${data.length} bytes, expected 16` };
  const two = (byte: number | undefined): string => String(byte ?? 0).padStart(2, '0');
  const display = `${two(data[0])}.${two(data[2])}-${data.readUInt32LE(4)}-${data.readUInt32LE(8)}-${data.readUInt32LE(12)}`;
  return { ok: true, value: { display, hex: data.subarray(0, 16).toString('hex') } };
}
