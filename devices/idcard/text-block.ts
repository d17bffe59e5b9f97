/**
 * The 256-byte UCS-2LE text block of a read-base response (spec §7): slicing
 * it into raw fields, recognising non-resident layouts, and the reverse
 * encoding the simulator and tests use. Pure; no interpretation of the values
 * (that is validate.ts).
 */

export const TEXT_BLOCK_BYTES = 256;
/** Bytes up to the end of valid-to; anything shorter cannot be a resident card. */
export const MIN_TEXT_BYTES = 220;

/** Raw field values as stored on the card, trailing spaces and NULs removed. */
export interface TextFields {
  name: string;
  genderCode: string;
  nationCode: string;
  /** YYYYMMDD */
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  /** YYYYMMDD */
  validFrom: string;
  /** YYYYMMDD or 长期 */
  validTo: string;
}

export const TEXT_LAYOUT: ReadonlyArray<{ field: keyof TextFields; offset: number; bytes: number }> = [
  { field: 'name', offset: 0, bytes: 30 },
  { field: 'genderCode', offset: 30, bytes: 2 },
  { field: 'nationCode', offset: 32, bytes: 4 },
  { field: 'birthDate', offset: 36, bytes: 16 },
  { field: 'address', offset: 52, bytes: 70 },
  { field: 'idNumber', offset: 122, bytes: 36 },
  { field: 'issuingAuthority', offset: 158, bytes: 30 },
  { field: 'validFrom', offset: 188, bytes: 16 },
  { field: 'validTo', offset: 204, bytes: 16 },
];

export const LONG_TERM = '长期';

/**
 * Offset of the 2-byte card-type flag of non-resident layouts. Only the
 * foreigner card's `I` is confirmed by a public table (spec §7); `J` and `Y`
 * follow vendor SDK notes and are not confirmed.
 */
export const CARD_TYPE_FLAG_OFFSET = 248;
const NON_RESIDENT_FLAGS: Readonly<Record<string, NonResidentKind>> = {
  I: 'foreign-permanent-resident',
  J: 'hk-macao-taiwan-residence-permit',
  Y: 'foreign-permanent-resident-2023',
};

export type NonResidentKind = 'foreign-permanent-resident' | 'hk-macao-taiwan-residence-permit' | 'foreign-permanent-resident-2023' | 'unknown';

export type TextBlockDecode =
  | { ok: true; fields: TextFields }
  | { ok: false; reason: 'text-too-short'; bytes: number }
  | { ok: false; reason: 'not-resident-card'; kind: NonResidentKind; flag: string };

/** Slices the block into fields after making sure it is a resident-card layout. */
export function decodeTextBlock(text: Uint8Array): TextBlockDecode {
  const block = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  if (block.length < MIN_TEXT_BYTES) return { ok: false, reason: 'text-too-short', bytes: block.length };
  const flag = cardTypeFlag(block);
  if (flag !== '') return { ok: false, reason: 'not-resident-card', kind: NON_RESIDENT_FLAGS[flag] ?? 'unknown', flag };
  const fields = {} as TextFields;
  for (const { field, offset, bytes } of TEXT_LAYOUT) fields[field] = decodeUcs2(block.subarray(offset, offset + bytes));
  return { ok: true, fields };
}

/** The type flag of non-resident layouts; '' when the reserved slot is blank (resident card). */
function cardTypeFlag(block: Buffer): string {
  if (block.length < CARD_TYPE_FLAG_OFFSET + 2) return '';
  return decodeUcs2(block.subarray(CARD_TYPE_FLAG_OFFSET, CARD_TYPE_FLAG_OFFSET + 2));
}

/** UTF-16LE without BOM; trailing spaces and NULs are padding. */
export function decodeUcs2(bytes: Buffer): string {
  return bytes.toString('utf16le').replace(/[\u0020\u0000]+$/u, '');
}

/**
 * Builds a 256-byte block from field values, space-padded; `typeFlag` writes a
 * non-resident card-type letter for tests of layout detection.
 */
export function encodeTextBlock(fields: TextFields, typeFlag = ''): Buffer {
  const block = Buffer.from(' '.repeat(TEXT_BLOCK_BYTES / 2), 'utf16le');
  for (const { field, offset, bytes } of TEXT_LAYOUT) {
    const encoded = Buffer.from(fields[field], 'utf16le');
    if (encoded.length > bytes) throw new Error(`${field} does not fit in ${bytes} bytes`);
    encoded.copy(block, offset);
  }
  if (typeFlag !== '') Buffer.from(typeFlag, 'utf16le').copy(block, CARD_TYPE_FLAG_OFFSET);
  return block;
}
