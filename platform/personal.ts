import type { DataKey } from '../electron/host/storage/crypto.js';
import type { Migration } from '../electron/host/storage/database.js';

/**
 * Personal fields of stored records, sealed at rest with the platform's data
 * key (AES-256-GCM, electron/host/storage/crypto.ts): a case's applicant
 * (name, ID number, address, phone, mailing address, remarks), a help
 * request's or a message's free text and phone. The rest of the payload
 * stays readable for queries and statistics. `splitPersonal` and
 * `joinPersonal` are pure; the sealed part lives in `record_personal`, one
 * row per record, written in the same transaction as the record.
 */
export const PERSONAL_FIELDS = ['applicant', 'name', 'idNumber', 'address', 'phone', 'mobile', 'mailingAddress', 'remarks', 'reason', 'text', 'content', 'contact'] as const;

/** Its own migration module, so it adds to the platform's tables without renumbering theirs. */
export const personalMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'record_personal: sealed personal fields of records',
    up: 'CREATE TABLE record_personal (id TEXT PRIMARY KEY REFERENCES records (id), sealed BLOB NOT NULL)',
  },
];

/** The payload without its personal top-level fields, and those fields (null when it has none). */
export function splitPersonal(payload: unknown): { open: unknown; personal: Record<string, unknown> | null } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { open: payload, personal: null };
  const open: Record<string, unknown> = {};
  const personal: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(payload)) {
    if ((PERSONAL_FIELDS as readonly string[]).includes(field)) personal[field] = value;
    else open[field] = value;
  }
  return { open, personal: Object.keys(personal).length === 0 ? null : personal };
}

export function joinPersonal(open: unknown, personal: Record<string, unknown> | null): unknown {
  if (personal === null || typeof open !== 'object' || open === null) return open;
  return { ...open, ...personal };
}

export function sealPersonal(key: DataKey, personal: Record<string, unknown>): Buffer {
  return key.sealJson(personal);
}

export function openPersonal(key: DataKey, sealed: Buffer): Record<string, unknown> {
  return key.openJson(sealed) as Record<string, unknown>;
}
