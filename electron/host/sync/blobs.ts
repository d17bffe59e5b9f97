import { MAX_BLOB_CHUNK_BYTES, type BlobStatus } from '../../../platform-contract/contract.js';
import type { Logger } from '../logging/logger.js';
import { describeError, type CallError, type PlatformClient } from './client.js';

/**
 * Uploading the pages a case names before the case record itself: each page
 * is a blob addressed by its SHA-256, sent in chunks. Before sending, the
 * worker asks the platform how much it already holds, so an upload cut off by
 * the network or by a kill -9 resumes where the platform's copy ends.
 */

/** Where the page bytes come from (the cases store) and where the terminal's copies are released. */
export interface BlobSource {
  /** The bytes with this SHA-256, or undefined when the terminal no longer holds them. */
  read(sha256: string): Promise<Buffer | undefined>;
  /** The platform holds these and the retention has passed: delete the terminal's copies. */
  release(hashes: readonly string[]): Promise<void>;
}

/** The next chunk to send given the platform's status (pure): null when the platform holds it all. */
export function nextChunk(status: Pick<BlobStatus, 'received' | 'complete'> | 'none', size: number, chunkBytes: number): { offset: number; end: number } | null {
  if (status !== 'none' && status.complete) return null;
  const offset = status === 'none' ? 0 : Math.min(status.received, size);
  if (offset >= size) return null;
  return { offset, end: Math.min(size, offset + chunkBytes) };
}

export type UploadOutcome =
  | { kind: 'held' }
  /** The platform or the network failed: retry later. */
  | { kind: 'failed'; error: CallError }
  /** The platform refused the bytes for good (hash mismatch, too large): the record will be rejected. */
  | { kind: 'refused'; message: string };

/** Sends one blob, resuming from what the platform holds. */
export async function uploadBlob(client: PlatformClient, sha256: string, bytes: Buffer, logger: Logger, chunkBytes = MAX_BLOB_CHUNK_BYTES): Promise<UploadOutcome> {
  let status = await client.blobStatus(sha256);
  // A chunk that is out of order means our idea of the platform's offset is stale: ask again, a few times at most.
  for (let restarts = 0; restarts < 3; restarts += 1) {
    if (!status.ok) return { kind: 'failed', error: status.error };
    let current = status.value;
    for (let chunk = nextChunk(current, bytes.length, chunkBytes); chunk !== null; chunk = nextChunk(current, bytes.length, chunkBytes)) {
      const put = await client.putBlobChunk(sha256, chunk.offset, bytes.length, bytes.subarray(chunk.offset, chunk.end));
      if (!put.ok) {
        const { error } = put;
        if (error.kind === 'refused' && error.code === 'chunk_out_of_order') break;
        if (error.kind === 'refused') {
          logger.error({ sha256, error: describeError(error) }, 'platform refused a page upload');
          return { kind: 'refused', message: describeError(error) };
        }
        return { kind: 'failed', error };
      }
      current = put.value;
    }
    if (current !== 'none' && current.complete) return { kind: 'held' };
    status = await client.blobStatus(sha256);
  }
  return { kind: 'failed', error: { kind: 'refused', status: 409, code: 'chunk_out_of_order', message: `the upload of page ${sha256.slice(0, 12)}… kept going out of order` } };
}
