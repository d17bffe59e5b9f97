import { createHash } from 'node:crypto';
import type { Logger } from '../electron/host/logging/logger.js';
import type { DataKey } from '../electron/host/storage/crypto.js';
import type { Database, Migration } from '../electron/host/storage/database.js';
import { BlobHash, MAX_BLOB_BYTES, MAX_BLOB_CHUNK_BYTES, type BlobStatus, type ErrorCode } from '../platform-contract/contract.js';

/**
 * The reference platform's blob store for scanned pages: content-addressed by
 * SHA-256, filled chunk by chunk (each chunk sealed with the platform's data
 * key, AES-256-GCM as on the terminal), verified when the last byte arrives.
 * A chunk is written in one transaction with the new `received` offset, so a
 * cut connection or a killed process leaves a consistent prefix to resume
 * from; a hash mismatch removes the whole upload.
 */
export const blobMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'blobs and their sealed chunks',
    up: `CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, received INTEGER NOT NULL, completed_at TEXT, first_terminal TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE blob_chunks (sha256 TEXT NOT NULL REFERENCES blobs (sha256), offset INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (sha256, offset));`,
  },
];

/** A refusal with the HTTP status and contract error code it is answered with. */
export class BlobRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ChunkRequest {
  sha256: string;
  offset: number;
  size: number;
  length: number;
}

export type ChunkVerdict = { action: 'append' } | { action: 'already-held' } | { action: 'refuse'; refusal: BlobRefusal };

/**
 * What to do with a chunk, given what is held (pure). The chunk must start at
 * `received`; one that ends at or before it is a resend (answered, not stored
 * again); the size must be the one the upload started with.
 */
export function judgeChunk(held: { size: number; received: number; complete: boolean } | undefined, chunk: ChunkRequest): ChunkVerdict {
  const refuse = (status: BlobRefusal['status'], code: ErrorCode, message: string): ChunkVerdict => ({ action: 'refuse', refusal: new BlobRefusal(status, code, message) });
  if (!BlobHash.safeParse(chunk.sha256).success) return refuse(400, 'bad_request', 'a blob address is a lower-case hex sha256');
  if (!Number.isSafeInteger(chunk.size) || chunk.size < 1) return refuse(400, 'bad_request', 'size must be a positive whole number of bytes');
  if (chunk.size > MAX_BLOB_BYTES) return refuse(413, 'body_too_large', `a blob may be at most ${MAX_BLOB_BYTES} bytes; this one declares ${chunk.size}`);
  if (!Number.isSafeInteger(chunk.offset) || chunk.offset < 0) return refuse(400, 'bad_request', 'offset must be a whole number of bytes ≥ 0');
  if (chunk.length > MAX_BLOB_CHUNK_BYTES) return refuse(413, 'body_too_large', `a chunk may be at most ${MAX_BLOB_CHUNK_BYTES} bytes; this one has ${chunk.length}`);
  if (chunk.length === 0) return refuse(400, 'bad_request', 'a chunk has at least one byte');
  if (chunk.offset + chunk.length > chunk.size) return refuse(400, 'bad_request', `the chunk ends at ${chunk.offset + chunk.length}, past the declared size ${chunk.size}`);
  if (held !== undefined && held.size !== chunk.size) return refuse(409, 'chunk_out_of_order', `this upload was started with size ${held.size}, not ${chunk.size}`);
  const received = held?.received ?? 0;
  if (held?.complete === true || chunk.offset + chunk.length <= received) return { action: 'already-held' };
  if (chunk.offset !== received) return refuse(409, 'chunk_out_of_order', `the next chunk must start at byte ${received}, not ${chunk.offset}`);
  return { action: 'append' };
}

interface BlobRow {
  sha256: string;
  size: number;
  received: number;
  completed_at: string | null;
}

function toStatus(row: BlobRow): BlobStatus {
  return { sha256: row.sha256, size: row.size, received: row.received, complete: row.completed_at !== null };
}

export class BlobStore {
  private constructor(
    private readonly db: Database,
    private readonly key: DataKey,
    private readonly logger: Logger,
  ) {}

  static async open(db: Database, key: DataKey, logger: Logger): Promise<BlobStore> {
    await db.migrate('platform-blobs', blobMigrations);
    return new BlobStore(db, key, logger);
  }

  async status(sha256: string): Promise<BlobStatus | undefined> {
    const row = await this.db.get<BlobRow>('SELECT sha256, size, received, completed_at FROM blobs WHERE sha256 = ?', [sha256]);
    return row && toStatus(row);
  }

  /** Stores one chunk (or answers a resend); throws BlobRefusal for bad input, logged with the terminal. */
  async putChunk(terminalId: string, chunk: Omit<ChunkRequest, 'length'>, bytes: Buffer, now: Date): Promise<BlobStatus> {
    const outcome = await this.db.transaction(async (tx): Promise<BlobStatus | BlobRefusal> => {
      const row = await tx.get<BlobRow>('SELECT sha256, size, received, completed_at FROM blobs WHERE sha256 = ?', [chunk.sha256]);
      const verdict = judgeChunk(row && toStatus(row), { ...chunk, length: bytes.length });
      if (verdict.action === 'refuse') return verdict.refusal;
      if (verdict.action === 'already-held' && row) return toStatus(row);
      if (!row) await tx.run('INSERT INTO blobs (sha256, size, received, first_terminal, created_at) VALUES (?, ?, 0, ?, ?)', [chunk.sha256, chunk.size, terminalId, now.toISOString()]);
      await tx.run('INSERT INTO blob_chunks (sha256, offset, data) VALUES (?, ?, ?)', [chunk.sha256, chunk.offset, this.key.seal(bytes)]);
      const received = chunk.offset + bytes.length;
      let completedAt: string | null = null;
      if (received === chunk.size) {
        const hash = createHash('sha256');
        const chunks = await tx.all<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY offset', [chunk.sha256]);
        for (const stored of chunks) hash.update(this.key.open(stored.data));
        const actual = hash.digest('hex');
        if (actual !== chunk.sha256) {
          // Nothing half-way: the whole upload goes (committed), the terminal starts again from byte 0.
          await tx.run('DELETE FROM blob_chunks WHERE sha256 = ?', [chunk.sha256]);
          await tx.run('DELETE FROM blobs WHERE sha256 = ?', [chunk.sha256]);
          return new BlobRefusal(422, 'hash_mismatch', `the ${chunk.size} bytes received hash to ${actual}, not ${chunk.sha256}; the upload was discarded`);
        }
        completedAt = now.toISOString();
      }
      await tx.run('UPDATE blobs SET received = ?, completed_at = ? WHERE sha256 = ?', [received, completedAt, chunk.sha256]);
      return { sha256: chunk.sha256, size: chunk.size, received, complete: completedAt !== null };
    });
    if (outcome instanceof BlobRefusal) {
      this.logger.warn({ terminal: terminalId, sha256: chunk.sha256, offset: chunk.offset, code: outcome.code, reason: outcome.message }, 'blob chunk refused');
      throw outcome;
    }
    return outcome;
  }

  /** Every upload held, complete or not, oldest first. */
  async list(): Promise<BlobStatus[]> {
    const rows = await this.db.all<BlobRow>('SELECT sha256, size, received, completed_at FROM blobs ORDER BY created_at, rowid');
    return rows.map(toStatus);
  }

  /** The whole blob, opened; undefined unless complete. */
  async read(sha256: string): Promise<Buffer | undefined> {
    const row = await this.status(sha256);
    if (!row?.complete) return undefined;
    const chunks = await this.db.all<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY offset', [sha256]);
    return Buffer.concat(chunks.map((stored) => this.key.open(stored.data)));
  }

  /** Of these hashes, the ones not held complete. */
  async missing(hashes: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const sha256 of hashes) if (!(await this.status(sha256))?.complete) missing.push(sha256);
    return missing;
  }
}
